/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt-argv: the options libvirt 9.0 puts on every command line for a
 * domain with a serial console, as pmemvm runs them: the console on a
 * pty (-chardev pty + -device isa-serial), found where libvirt looks for
 * it (query-chardev); -sandbox as a seccomp filter in force; the master
 * key secret, -name, -uuid, -msg, -rtc, -boot, -overcommit accepted; what
 * pmemvm does not model refused by name.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <linux/serial_reg.h>
#include <poll.h>
#include <termios.h>

#include "libqtest.h"
#include "qtest-util.h"
#include "hw/i386/layout.h"

#define COM1 LAYOUT_PORT_COM1

/* The options of the domain's command line (the monitor is libqtest's). */
#define DOMAIN_ARGS \
    "-name guest=lv,debug-threads=on -S " \
    "-object '{\"qom-type\":\"secret\",\"id\":\"masterKey0\"," \
    "\"format\":\"raw\",\"data\":\"0123456789abcdef0123456789abcdef\"}' " \
    "-machine pc-i440fx-7.2,usb=off,dump-guest-core=off " \
    "-m size=262144k -overcommit mem-lock=off " \
    "-smp 1,sockets=1,cores=1,threads=1 " \
    "-object '{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\"," \
    "\"size\":268435456}' -numa node,nodeid=0,cpus=0,memdev=ram-node0 " \
    "-uuid b94690df-26e9-4d8f-969e-bd02e2d379a2 -no-user-config -nodefaults " \
    "-rtc base=utc -no-shutdown -boot strict=on " \
    "-chardev pty,id=charserial0 " \
    "-device '{\"driver\":\"isa-serial\",\"chardev\":\"charserial0\"," \
    "\"id\":\"serial0\",\"index\":0}' " \
    "-audiodev '{\"id\":\"audio1\",\"driver\":\"none\"}' " \
    "-sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny," \
    "resourcecontrol=deny -msg timestamp=on"

/* The pty path query-chardev reports for @label ("pty:PATH"). */
static char *chardev_pty(QTestState *qts, const char *label)
{
    g_autoptr(JsonNode) list = qtest_qmp_assert_success_ref(
        qts, "{'execute': 'query-chardev'}");
    JsonArray *a = json_node_get_array(list);

    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *c = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(c, "label"), label)) {
            const char *f = json_object_get_string_member(c, "filename");

            g_assert_true(g_str_has_prefix(f, "pty:"));
            g_assert_true(json_object_get_boolean_member(c, "frontend-open"));
            return g_strdup(f + strlen("pty:"));
        }
    }
    g_assert_not_reached();
}

/* Up to @len bytes from @fd within a second. */
static size_t read_some(int fd, char *buf, size_t len)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    size_t got = 0;

    while (got < len && poll(&p, 1, 1000) == 1) {
        ssize_t n = read(fd, buf + got, len - got);

        if (n <= 0) {
            break;
        }
        got += n;
    }
    return got;
}

/* COM1 on the pty: what the guest sends is read there, and back. */
static void test_console_pty(void)
{
    QTestState *qts = qtest_init(DOMAIN_ARGS);
    g_autofree char *path = chardev_pty(qts, "charserial0");
    int fd = open(path, O_RDWR | O_NOCTTY);
    char buf[16] = "";

    g_assert_cmpint(fd, >=, 0);
    g_assert_true(isatty(fd));
    qtest_outb(qts, COM1 + UART_TX, 'o');
    qtest_outb(qts, COM1 + UART_TX, 'k');
    g_assert_cmpuint(read_some(fd, buf, 2), ==, 2);
    g_assert_cmpstr(buf, ==, "ok");
    /* a key typed on the console reaches the UART */
    g_assert_cmpint(write(fd, "z", 1), ==, 1);
    for (int i = 0; i < 100 &&
         !(qtest_inb(qts, COM1 + UART_LSR) & UART_LSR_DR); i++) {
        g_usleep(10 * 1000);
    }
    g_assert_cmpuint(qtest_inb(qts, COM1 + UART_RX), ==, 'z');
    close(fd);
    qtest_quit(qts);
}

/* -sandbox on: the process runs under a seccomp filter. */
static void test_sandbox_in_force(void)
{
    QTestState *qts = qtest_init(DOMAIN_ARGS);
    g_autofree char *status_path = g_strdup_printf("/proc/%d/status",
                                                   qtest_pid(qts));
    g_autofree char *status = NULL;

    g_assert_true(g_file_get_contents(status_path, &status, NULL, NULL));
    /* 2: SECCOMP_MODE_FILTER */
    g_assert_nonnull(strstr(status, "\nSeccomp:\t2\n"));
    qtest_quit(qts);
}

/* A second serial port, or one on a chardev that does not exist. */
static void test_isa_serial_refusals(void)
{
    g_autofree char *err = NULL;

    g_assert_cmpint(qtest_run_expect_fail(
        "-nodefaults -chardev null,id=c0 "
        "-device isa-serial,chardev=c0,index=1", &err), ==, 1);
    g_assert_nonnull(strstr(err, "pmemvm has one serial port"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(qtest_run_expect_fail(
        "-nodefaults -device isa-serial,chardev=nope", &err), ==, 1);
    g_assert_nonnull(strstr(err, "can't find value 'nope'"));
}

/* What pmemvm does not model is refused by name, not ignored. */
static void test_unmodelled_refused(void)
{
    static const char *const devices[] = {
        "piix3-usb-uhci", "virtio-balloon-pci", "ide-hd", "pc-dimm",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        g_autofree char *args = g_strdup_printf("-device %s", devices[i]);
        g_autofree char *err = NULL;
        g_autofree char *want = g_strdup_printf(
            "'%s' is not a valid device model name", devices[i]);

        g_assert_cmpint(qtest_run_expect_fail(args, &err), ==, 1);
        g_assert_nonnull(strstr(err, want));
    }
}

/* The master key: a file, raw or base64; broken ones refused. */
static void test_secret(void)
{
    g_autofree char *dir = g_dir_make_tmp("libvirt-argv-XXXXXX", NULL);
    g_autofree char *key = g_build_filename(dir, "master-key.aes", NULL);
    g_autofree char *args = NULL, *err = NULL;
    QTestState *qts;

    g_assert_true(g_file_set_contents(key, "YWJj", -1, NULL));
    args = g_strdup_printf("-object secret,id=k,format=base64,file=%s", key);
    qts = qtest_init(args);
    qtest_quit(qts);
    g_assert_cmpint(qtest_run_expect_fail(
        "-object secret,id=k,data=x,file=/nonexistent", &err), ==, 1);
    g_assert_nonnull(strstr(err, "'data' and 'file' are mutually exclusive"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(qtest_run_expect_fail(
        "-object secret,id=k,format=base64,data=%%%%", &err), ==, 1);
    g_assert_nonnull(strstr(err, "not valid base64"));
    g_clear_pointer(&err, g_free);
    g_assert_cmpint(qtest_run_expect_fail(
        "-object secret,id=k,data=x,keyid=masterKey0,iv=AAAA", &err), ==, 1);
    g_assert_nonnull(strstr(err, "encrypted secrets"));
    remove_dir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (qtest_binary_is_qemu()) {
        return g_test_run();
    }
    g_test_add_func("/libvirt-argv/console-pty", test_console_pty);
    g_test_add_func("/libvirt-argv/sandbox", test_sandbox_in_force);
    g_test_add_func("/libvirt-argv/isa-serial-refusals",
                    test_isa_serial_refusals);
    g_test_add_func("/libvirt-argv/unmodelled-refused",
                    test_unmodelled_refused);
    g_test_add_func("/libvirt-argv/secret", test_secret);
    return g_test_run();
}
