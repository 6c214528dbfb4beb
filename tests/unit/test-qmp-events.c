/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the events raised below the monitor: a QMP monitor on one
 * end of a socket pair receives DEVICE_DELETED when an unplug completes
 * and ACPI_DEVICE_OST when a hotplug controller records a guest's _OST;
 * and query-acpi-ospm-status: the last report per slot
 * (hw/acpi/ospm.c).
 */
#include "qemu/osdep.h"

#include <sys/socket.h>

#include "chardev/char.h"
#include "hw/acpi/ospm.h"
#include "hw/qdev-core.h"
#include "monitor/monitor.h"
#include "sysemu/qdev-monitor.h"
#include "sysemu/runstate.h"

static int peer = -1;           /* the client's end */
static GString *rx;

/* Run the main loop until the client has received a whole line. */
static char *client_line(void)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    for (;;) {
        char buf[4096], *nl = strchr(rx->str, '\n');
        ssize_t n;

        if (nl) {
            char *line = g_strndup(rx->str, nl - rx->str);

            g_string_erase(rx, 0, nl - rx->str + 1);
            return g_strchomp(line);
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_main_context_iteration(qemu_main_context(), FALSE);
        n = recv(peer, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        if (n > 0) {
            g_string_append_len(rx, buf, n);
        } else {
            g_usleep(1000);
        }
    }
}

/* A line without its "timestamp": the event and its data. */
static char *client_event(void)
{
    g_autofree char *line = client_line();
    char *ev = strstr(line, "\"event\"");

    g_assert_nonnull(ev);
    return g_strdup(ev);
}

static void setup_monitor(void)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    g_autofree char *fdstr = NULL;
    g_autofree char *greeting = NULL, *reply = NULL;
    int sv[2];
    Chardev *chr;

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
                    ==, 0);
    peer = sv[0];
    fdstr = g_strdup_printf("%d", sv[1]);
    qemu_opts_set(opts, "backend", "socket");
    qemu_opts_set(opts, "id", "mon0");
    qemu_opts_set(opts, "fd", fdstr);
    chr = qemu_chr_new_from_opts(opts, &error_abort);
    g_assert_true(monitor_init_qmp(chr, false, &error_abort));
    rx = g_string_new(NULL);
    greeting = client_line();
    g_assert_nonnull(strstr(greeting, "\"QMP\""));
    g_assert_cmpint(send(peer, "{\"execute\": \"qmp_capabilities\"}\n", 32,
                         0), ==, 32);
    reply = client_line();
    g_assert_cmpstr(reply, ==, "{\"return\": {}}");
}

/* A device whose unplug completes at once (no guest to wait for). */
static bool at_once_unplug_request(void *opaque, Object *dev, Error **errp)
{
    qdev_unplug_complete(dev);
    return true;
}

static const HotplugHandlerOps at_once_ops = {
    .unplug_request = at_once_unplug_request,
};

static const TypeInfo test_device_type = {
    .name = "test-unpluggable",
    .kind = OBJECT_KIND_DEVICE,
    .instance_size = sizeof(Object),
    .hotpluggable = true,
};

static Object *add_device(const char *id)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();

    qemu_opts_set(opts, "driver", "test-unpluggable");
    if (id) {
        qemu_opts_set(opts, "id", id);
    }
    return qdev_device_add(opts, &error_abort);
}

static void test_device_deleted(void)
{
    g_autofree char *ev1 = NULL, *ev2 = NULL;

    qdev_set_hotplug_handler(&at_once_ops, NULL);
    add_device("d0");
    add_device(NULL);
    g_assert_true(qdev_device_del("d0", &error_abort));
    ev1 = client_event();
    g_assert_cmpstr(ev1, ==, "\"event\": \"DEVICE_DELETED\", \"data\": "
                    "{\"device\": \"d0\", \"path\": "
                    "\"/machine/peripheral/d0\"}}");
    /* No id: only the path, in QEMU's peripheral-anon container. */
    g_assert_true(qdev_device_del("/machine/peripheral-anon/device[0]",
                                  &error_abort));
    ev2 = client_event();
    g_assert_cmpstr(ev2, ==, "\"event\": \"DEVICE_DELETED\", \"data\": "
                    "{\"path\": \"/machine/peripheral-anon/device[0]\"}}");
    qdev_set_hotplug_handler(NULL, NULL);
}

static void test_acpi_device_ost(void)
{
    g_autofree char *ev1 = NULL, *ev2 = NULL;

    acpi_ost_report(ACPI_OST_SLOT_PCI, "3", "vp0",
                    ACPI_OST_EV_EJECT_REQUEST, 0x81);
    ev1 = client_event();
    g_assert_cmpstr(ev1, ==, "\"event\": \"ACPI_DEVICE_OST\", \"data\": "
                    "{\"info\": {\"device\": \"vp0\", \"slot\": \"3\", "
                    "\"slot-type\": \"PCI\", \"source\": 3, \"status\": "
                    "129}}}");
    /* An empty slot: no device member. */
    acpi_ost_report(ACPI_OST_SLOT_PCI, "4", NULL,
                    ACPI_OST_EV_DEVICE_CHECK, ACPI_OST_SC_SUCCESS);
    ev2 = client_event();
    g_assert_cmpstr(ev2, ==, "\"event\": \"ACPI_DEVICE_OST\", \"data\": "
                    "{\"info\": {\"slot\": \"4\", \"slot-type\": \"PCI\", "
                    "\"source\": 1, \"status\": 0}}}");
}

/* query-acpi-ospm-status: the last report of each slot. */
static void test_ospm_records(void)
{
    g_autoptr(JsonNode) ret = NULL;
    g_autofree char *text = NULL;

    acpi_ost_set_listener(NULL);
    acpi_ost_report(ACPI_OST_SLOT_PCI, "3", "vp0",
                    ACPI_OST_EV_EJECT_REQUEST, 0x81);
    acpi_ost_report(ACPI_OST_SLOT_PCI, "4", NULL,
                    ACPI_OST_EV_DEVICE_CHECK, ACPI_OST_SC_SUCCESS);
    /* the guest finished ejecting slot 3: its record is replaced */
    acpi_ost_report(ACPI_OST_SLOT_PCI, "3", "vp0",
                    ACPI_OST_EV_EJECT_REQUEST, ACPI_OST_SC_SUCCESS);
    ret = qmp_command_call("query-acpi-ospm-status", NULL, &error_abort);
    text = json_to_string(ret, FALSE);
    g_assert_cmpstr(text, ==, "[{\"device\":\"vp0\",\"slot\":\"3\","
                    "\"slot-type\":\"PCI\",\"source\":3,\"status\":0},"
                    "{\"slot\":\"4\",\"slot-type\":\"PCI\",\"source\":1,"
                    "\"status\":0}]");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    type_register(&test_device_type);
    setup_monitor();
    g_test_add_func("/qmp-events/device-deleted", test_device_deleted);
    g_test_add_func("/qmp-events/acpi-device-ost", test_acpi_device_ost);
    g_test_add_func("/qmp-events/ospm-records", test_ospm_records);
    return g_test_run();
}
