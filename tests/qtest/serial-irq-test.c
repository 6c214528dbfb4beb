/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * COM1's interrupt, seen through qtest's "irq_intercept_in ioapic": a
 * driver sets OUT2 (on a PC it connects the UART's interrupt to the ISA
 * line) and enables the transmitter-empty interrupt; the UART asserts
 * IRQ 4 at once (its transmitter is empty); reading IIR acknowledges it
 * and the line drops.  The same story on QEMU 7.2 gives the same lines.
 *
 * Deliberate difference: without OUT2 pmemvm keeps the line low, as a PC
 * does; QEMU 7.2's UART raises it anyway (Linux always sets OUT2).
 */
#include "qemu/osdep.h"
#include <linux/serial_reg.h>

#include "libqtest.h"
#include "qtest-util.h"
#include "hw/i386/layout.h"

#define COM1 LAYOUT_PORT_COM1
#define IRQ LAYOUT_IRQ_COM1

/* The levels of IRQ 4 after each step, as "0"/"1" characters. */
static char *serial_story(QTestState *qts)
{
    GString *levels = g_string_new(NULL);

    qtest_irq_intercept_in(qts, "ioapic");
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    qtest_outb(qts, COM1 + UART_MCR, UART_MCR_OUT2);
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    qtest_outb(qts, COM1 + UART_IER, UART_IER_THRI);
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    /* IIR says THRI and acknowledges it. */
    g_assert_cmpuint(qtest_inb(qts, COM1 + UART_IIR) & UART_IIR_ID, ==,
                     UART_IIR_THRI);
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    /* A byte sent: the transmitter is empty again, the line goes up. */
    qtest_outb(qts, COM1 + UART_TX, 'x');
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    qtest_outb(qts, COM1 + UART_IER, 0);
    g_string_append_c(levels, '0' + qtest_get_irq(qts, IRQ));
    qtest_quit(qts);
    return g_string_free(levels, FALSE);
}

/* pmemvm only: the interrupt reaches IRQ 4 through OUT2 alone. */
static void test_com1_irq_needs_out2(void)
{
    QTestState *qts = qtest_init("-serial null");

    qtest_irq_intercept_in(qts, "ioapic");
    qtest_outb(qts, COM1 + UART_IER, UART_IER_THRI);
    g_assert_false(qtest_get_irq(qts, IRQ));
    qtest_outb(qts, COM1 + UART_MCR, UART_MCR_OUT2);
    g_assert_true(qtest_get_irq(qts, IRQ));
    qtest_outb(qts, COM1 + UART_MCR, 0);
    g_assert_false(qtest_get_irq(qts, IRQ));
    qtest_quit(qts);
}

static void test_com1_irq(void)
{
    g_autofree char *levels = serial_story(qtest_init("-serial null"));

    g_assert_cmpstr(levels, ==, "001010");
}

static void test_com1_irq_qemu(void)
{
    QTestState *qts = qemu_qtest_init("-serial null");
    g_autofree char *levels = NULL;

    if (!qts) {
        return;
    }
    levels = serial_story(qts);
    g_assert_cmpstr(levels, ==, "001010");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/serial-irq/com1", test_com1_irq);
    g_test_add_func("/serial-irq/com1-qemu", test_com1_irq_qemu);
    g_test_add_func("/serial-irq/com1-needs-out2", test_com1_irq_needs_out2);
    return g_test_run();
}
