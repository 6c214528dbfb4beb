/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text of the human monitor's info commands, made from the "return"
 * value of their QMP twins exactly as QEMU 7.2's hmp_info_*() make it
 * ("\n" line ends; the monitor sends "\r\n").  Pure functions, so that a
 * test can also feed them QEMU's own QMP answers and compare the result
 * with QEMU's HMP text.  g_free the result.
 */
#ifndef MONITOR_HMP_FORMAT_H
#define MONITOR_HMP_FORMAT_H

#include <json-glib/json-glib.h>

char *hmp_format_status(JsonNode *query_status);
char *hmp_format_version(JsonNode *query_version);
char *hmp_format_name(JsonNode *query_name);
char *hmp_format_memdev(JsonNode *query_memdev);
char *hmp_format_memory_devices(JsonNode *query_memory_devices);
char *hmp_format_memory_size_summary(JsonNode *query_memory_size_summary);
char *hmp_format_cpus(JsonNode *query_cpus_fast);
char *hmp_format_pci(JsonNode *query_pci);

#endif
