/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest server: QEMU 7.2's line protocol for driving the machine from a
 * test.  One request per line, words separated by single spaces, one reply
 * line per request ("OK ...", "FAIL ..."); "IRQ raise N" / "IRQ lower N"
 * lines may arrive at any time once interception is on.
 *
 *   outb|outw|outl ADDR VALUE            OK
 *   inb|inw|inl ADDR                     OK 0x%04x
 *   writeb|writew|writel|writeq ADDR V   OK
 *   readb|readw|readl|readq ADDR         OK 0x%016x
 *   read ADDR SIZE                       OK 0xHEXBYTES
 *   write ADDR SIZE 0xHEXBYTES           OK (short data is zero-filled)
 *   b64read ADDR SIZE                    OK BASE64
 *   b64write ADDR SIZE BASE64            OK
 *   memset ADDR SIZE BYTE                OK
 *   endianness                           OK little
 *   clock_step [NS], clock_set NS        OK NOW_NS
 *   irq_intercept_in ioapic              OK
 *
 * Numbers are C integers in any base (strtoull base 0).  Unlike QEMU,
 * which asserts, a malformed request gets a FAIL line and the VMM lives
 * on; SIZE is limited to QTEST_MAX_SIZE.
 */
#include "qemu/osdep.h"

#include "chardev/char.h"
#include "hw/core/memory.h"
#include "sysemu/accel.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"

/* Largest SIZE of read/write/b64read/b64write/memset. */
#define QTEST_MAX_SIZE (64 * MiB)
/* Longest request line: "write" carries two hex digits per byte. */
#define QTEST_MAX_LINE (2 * QTEST_MAX_SIZE + 256)
#define QTEST_MAX_IRQ 256

static Chardev *qtest_chr;
static bool qtest_running;
static bool qtest_opened;
static GString *qtest_inbuf;
static bool qtest_skipping_line;
static gint64 qtest_clock_ns;

static GMutex qtest_log_lock;
static FILE *qtest_log_fp;
static GTimer *qtest_timer;

static GMutex qtest_irq_lock;
static int qtest_irq_on;        /* atomic */
static bool qtest_irq_levels[QTEST_MAX_IRQ];

bool qtest_enabled(void)
{
    return qtest_running;
}

int64_t qtest_get_virtual_clock(void)
{
    return __atomic_load_n(&qtest_clock_ns, __ATOMIC_RELAXED);
}

static double qtest_elapsed(void)
{
    return qtest_timer ? g_timer_elapsed(qtest_timer, NULL) : 0.0;
}

static void qtest_send(const char *str)
{
    if (qtest_chr) {
        qemu_chr_write_all(qtest_chr, str, strlen(str));
    }
    g_mutex_lock(&qtest_log_lock);
    if (qtest_log_fp && qtest_opened) {
        fprintf(qtest_log_fp, "[S +%.06f] %s", qtest_elapsed(), str);
        fflush(qtest_log_fp);
    }
    g_mutex_unlock(&qtest_log_lock);
}

static void G_GNUC_PRINTF(1, 2) qtest_sendf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send(str);
}

static void G_GNUC_PRINTF(1, 2) qtest_log(const char *fmt, ...)
{
    va_list ap;

    g_mutex_lock(&qtest_log_lock);
    if (qtest_log_fp) {
        va_start(ap, fmt);
        vfprintf(qtest_log_fp, fmt, ap);
        va_end(ap);
        fflush(qtest_log_fp);
    }
    g_mutex_unlock(&qtest_log_lock);
}

static bool qtest_irq_intercepted(void)
{
    return g_atomic_int_get(&qtest_irq_on);
}

static void qtest_irq_report(int irq, bool level)
{
    bool changed;

    if (!qtest_irq_intercepted() || irq < 0 || irq >= QTEST_MAX_IRQ) {
        return;
    }
    g_mutex_lock(&qtest_irq_lock);
    changed = qtest_irq_levels[irq] != level;
    qtest_irq_levels[irq] = level;
    if (changed) {
        qtest_sendf("IRQ %s %d\n", level ? "raise" : "lower", irq);
    }
    g_mutex_unlock(&qtest_irq_lock);
}

/* ---- Requests ---- */

static bool qtest_parse_u64(const char *str, uint64_t *val)
{
    char *end;

    if (!str || !*str) {
        return false;
    }
    errno = 0;
    *val = strtoull(str, &end, 0);
    return errno == 0 && *end == '\0';
}

static bool qtest_parse_i64(const char *str, int64_t *val)
{
    char *end;

    if (!str || !*str) {
        return false;
    }
    errno = 0;
    *val = strtoll(str, &end, 0);
    return errno == 0 && *end == '\0';
}

/* Parse "CMD ADDR SIZE ..." with SIZE bounded; sends FAIL if malformed. */
static bool qtest_addr_size(char **words, uint64_t *addr, uint64_t *size,
                            bool allow_zero)
{
    if (!qtest_parse_u64(words[1], addr) ||
        !qtest_parse_u64(words[1] ? words[2] : NULL, size)) {
        qtest_sendf("FAIL usage: %s ADDR SIZE ...\n", words[0]);
        return false;
    }
    if ((!allow_zero && *size == 0) || *size > QTEST_MAX_SIZE) {
        qtest_sendf("FAIL %s: SIZE must be 1 to %" PRIu64 " bytes\n",
                    words[0], (uint64_t)QTEST_MAX_SIZE);
        return false;
    }
    return true;
}

static void qtest_cmd_out(char **words)
{
    uint64_t addr, value;
    unsigned size = words[0][3] == 'b' ? 1 : words[0][3] == 'w' ? 2 : 4;

    if (!qtest_parse_u64(words[1], &addr) ||
        !qtest_parse_u64(words[1] ? words[2] : NULL, &value)) {
        qtest_sendf("FAIL usage: %s ADDR VALUE\n", words[0]);
        return;
    }
    if (addr > 0xffff) {
        qtest_sendf("FAIL %s: port 0x%" PRIx64 " out of range\n", words[0],
                    addr);
        return;
    }
    ioport_write(addr, value & (UINT32_MAX >> (32 - 8 * size)), size);
    qtest_send("OK\n");
}

static void qtest_cmd_in(char **words)
{
    uint64_t addr;
    unsigned size = words[0][2] == 'b' ? 1 : words[0][2] == 'w' ? 2 : 4;

    if (!qtest_parse_u64(words[1], &addr)) {
        qtest_sendf("FAIL usage: %s ADDR\n", words[0]);
        return;
    }
    if (addr > 0xffff) {
        qtest_sendf("FAIL %s: port 0x%" PRIx64 " out of range\n", words[0],
                    addr);
        return;
    }
    qtest_sendf("OK 0x%04x\n", ioport_read(addr, size));
}

static unsigned qtest_access_size(char suffix)
{
    switch (suffix) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

static void qtest_cmd_write_n(char **words)
{
    unsigned size = qtest_access_size(words[0][5]);
    uint64_t addr, value;
    uint8_t data[8];

    if (!qtest_parse_u64(words[1], &addr) ||
        !qtest_parse_u64(words[1] ? words[2] : NULL, &value)) {
        qtest_sendf("FAIL usage: %s ADDR VALUE\n", words[0]);
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        data[i] = value >> (8 * i);     /* the target is little-endian */
    }
    guest_memory_write(addr, data, size);
    qtest_send("OK\n");
}

static void qtest_cmd_read_n(char **words)
{
    unsigned size = qtest_access_size(words[0][4]);
    uint64_t addr, value = 0;
    uint8_t data[8];

    if (!qtest_parse_u64(words[1], &addr)) {
        qtest_sendf("FAIL usage: %s ADDR\n", words[0]);
        return;
    }
    guest_memory_read(addr, data, size);
    for (unsigned i = 0; i < size; i++) {
        value |= (uint64_t)data[i] << (8 * i);
    }
    qtest_sendf("OK 0x%016" PRIx64 "\n", value);
}

static void qtest_cmd_read(char **words)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;
    GString *out;

    if (!qtest_addr_size(words, &addr, &size, false)) {
        return;
    }
    data = g_malloc(size);
    guest_memory_read(addr, data, size);
    out = g_string_sized_new(2 * size + 8);
    g_string_append(out, "OK 0x");
    for (uint64_t i = 0; i < size; i++) {
        g_string_append_c(out, hex[data[i] >> 4]);
        g_string_append_c(out, hex[data[i] & 0xf]);
    }
    g_string_append_c(out, '\n');
    qtest_send(out->str);
    g_string_free(out, TRUE);
}

static void qtest_cmd_b64read(char **words)
{
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;
    g_autofree char *b64 = NULL;

    if (!qtest_addr_size(words, &addr, &size, true)) {
        return;
    }
    data = g_malloc(size ? size : 1);
    guest_memory_read(addr, data, size);
    b64 = g_base64_encode(data, size);
    qtest_sendf("OK %s\n", b64);
}

static int qtest_hex_nibble(char c)
{
    return g_ascii_xdigit_value(c);
}

static void qtest_cmd_write(char **words)
{
    uint64_t addr, size;
    const char *hex;
    size_t hex_len;
    g_autofree uint8_t *data = NULL;

    if (!qtest_addr_size(words, &addr, &size, true)) {
        return;
    }
    hex = words[3];
    if (!hex || strlen(hex) < 3) {
        /* QEMU's reply, which has no FAIL for this */
        qtest_send("ERR invalid argument size\n");
        return;
    }
    if (hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X')) {
        qtest_send("FAIL write: DATA must start with 0x\n");
        return;
    }
    hex += 2;
    hex_len = strlen(hex);
    data = g_malloc0(size ? size : 1);
    for (uint64_t i = 0; i < size && 2 * i + 1 < hex_len; i++) {
        int hi = qtest_hex_nibble(hex[2 * i]);
        int lo = qtest_hex_nibble(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            qtest_send("FAIL write: DATA is not hexadecimal\n");
            return;
        }
        data[i] = hi << 4 | lo;
    }
    guest_memory_write(addr, data, size);
    qtest_send("OK\n");
}

static void qtest_cmd_b64write(char **words)
{
    uint64_t addr, size;
    g_autofree uint8_t *data = NULL;
    guchar *decoded;
    gsize decoded_len;

    if (!qtest_addr_size(words, &addr, &size, true)) {
        return;
    }
    if (!words[3] || strlen(words[3]) < 3) {
        qtest_send("ERR invalid argument size\n");
        return;
    }
    decoded = g_base64_decode_inplace(words[3], &decoded_len);
    if (decoded_len != size) {
        qtest_log("b64write: data length mismatch (told %" PRIu64
                  ", found %zu)\n", size, (size_t)decoded_len);
    }
    data = g_malloc0(size ? size : 1);
    memcpy(data, decoded, MIN(size, decoded_len));
    guest_memory_write(addr, data, size);
    qtest_send("OK\n");
}

static void qtest_cmd_memset(char **words)
{
    uint64_t addr, size, pattern;
    g_autofree uint8_t *data = NULL;

    if (!qtest_addr_size(words, &addr, &size, true)) {
        return;
    }
    if (!qtest_parse_u64(words[3], &pattern)) {
        qtest_send("FAIL usage: memset ADDR SIZE VALUE\n");
        return;
    }
    if (size) {
        data = g_malloc(size);
        memset(data, (uint8_t)pattern, size);
        guest_memory_write(addr, data, size);
    }
    qtest_send("OK\n");
}

static void qtest_clock_advance_to(int64_t dest)
{
    /* No timers are driven by this clock yet: just move it. */
    if (dest > qtest_clock_ns) {
        __atomic_store_n(&qtest_clock_ns, dest, __ATOMIC_RELAXED);
    }
}

static void qtest_cmd_clock(char **words)
{
    int64_t ns = 0;
    bool step = !strcmp(words[0], "clock_step");

    if ((!step || words[1]) && !qtest_parse_i64(words[1], &ns)) {
        qtest_sendf("FAIL usage: %s\n", step ? "clock_step [NS]" :
                    "clock_set NS");
        return;
    }
    if (step) {
        /* Without NS: to the next deadline, and there is none. */
        if (ns > 0 && qtest_clock_ns <= INT64_MAX - ns) {
            qtest_clock_advance_to(qtest_clock_ns + ns);
        }
    } else {
        qtest_clock_advance_to(ns);
    }
    qtest_sendf("OK %" PRIi64 "\n", qtest_clock_ns);
}

static bool qtest_is_ioapic_path(const char *path)
{
    const char *base = path ? strrchr(path, '/') : NULL;

    return path && !strcmp(base ? base + 1 : path, "ioapic");
}

static void qtest_cmd_irq_intercept(char **words)
{
    if (!words[1]) {
        qtest_sendf("FAIL usage: %s QOM-PATH\n", words[0]);
        return;
    }
    if (!strcmp(words[0], "irq_intercept_out") ||
        !qtest_is_ioapic_path(words[1])) {
        qtest_send("FAIL Unknown device\n");
        return;
    }
    if (!qtest_irq_intercepted()) {
        g_mutex_lock(&qtest_irq_lock);
        memset(qtest_irq_levels, 0, sizeof(qtest_irq_levels));
        g_mutex_unlock(&qtest_irq_lock);
        g_atomic_int_set(&qtest_irq_on, 1);
    }
    qtest_send("OK\n");
}

static void qtest_cmd_set_irq_in(char **words)
{
    qtest_send("FAIL Unknown device\n");
}

static void qtest_cmd_module_load(char **words)
{
    qtest_send("FAIL\n");
}

static void qtest_cmd_endianness(char **words)
{
    qtest_send("OK little\n");
}

static const struct {
    const char *name;
    void (*fn)(char **words);
} qtest_commands[] = {
    { "outb", qtest_cmd_out },
    { "outw", qtest_cmd_out },
    { "outl", qtest_cmd_out },
    { "inb", qtest_cmd_in },
    { "inw", qtest_cmd_in },
    { "inl", qtest_cmd_in },
    { "writeb", qtest_cmd_write_n },
    { "writew", qtest_cmd_write_n },
    { "writel", qtest_cmd_write_n },
    { "writeq", qtest_cmd_write_n },
    { "readb", qtest_cmd_read_n },
    { "readw", qtest_cmd_read_n },
    { "readl", qtest_cmd_read_n },
    { "readq", qtest_cmd_read_n },
    { "read", qtest_cmd_read },
    { "write", qtest_cmd_write },
    { "b64read", qtest_cmd_b64read },
    { "b64write", qtest_cmd_b64write },
    { "memset", qtest_cmd_memset },
    { "endianness", qtest_cmd_endianness },
    { "clock_step", qtest_cmd_clock },
    { "clock_set", qtest_cmd_clock },
    { "irq_intercept_in", qtest_cmd_irq_intercept },
    { "irq_intercept_out", qtest_cmd_irq_intercept },
    { "set_irq_in", qtest_cmd_set_irq_in },
    { "module_load", qtest_cmd_module_load },
};

static void qtest_process_line(const char *line)
{
    g_auto(GStrv) words = g_strsplit(line, " ", 0);

    if (!words[0]) {
        qtest_send("FAIL Unknown command ''\n");
        return;
    }
    g_mutex_lock(&qtest_log_lock);
    if (qtest_log_fp) {
        fprintf(qtest_log_fp, "[R +%.06f]", qtest_elapsed());
        for (int i = 0; words[i]; i++) {
            fprintf(qtest_log_fp, " %s", words[i]);
        }
        fputc('\n', qtest_log_fp);
    }
    g_mutex_unlock(&qtest_log_lock);

    for (size_t i = 0; i < ARRAY_SIZE(qtest_commands); i++) {
        if (!strcmp(words[0], qtest_commands[i].name)) {
            qtest_commands[i].fn(words);
            return;
        }
    }
    qtest_sendf("FAIL Unknown command '%s'\n", words[0]);
}

static void qtest_read(void *opaque, const uint8_t *buf, size_t len)
{
    const uint8_t *end = buf + len;

    if (!qtest_inbuf) {
        qtest_inbuf = g_string_new(NULL);
    }

    while (buf < end) {
        const uint8_t *nl = memchr(buf, '\n', end - buf);
        size_t chunk = (nl ? nl : end) - buf;

        if (!qtest_skipping_line) {
            g_string_append_len(qtest_inbuf, (const char *)buf, chunk);
        }
        if (qtest_inbuf->len > QTEST_MAX_LINE) {
            g_string_truncate(qtest_inbuf, 0);
            qtest_skipping_line = true;
        }
        if (!nl) {
            break;
        }
        if (qtest_skipping_line) {
            qtest_send("FAIL request line too long\n");
            qtest_skipping_line = false;
        } else {
            qtest_process_line(qtest_inbuf->str);
        }
        g_string_truncate(qtest_inbuf, 0);
        buf = nl + 1;
    }
}

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    switch (event) {
    case CHR_EVENT_OPENED:
        g_mutex_lock(&qtest_irq_lock);
        memset(qtest_irq_levels, 0, sizeof(qtest_irq_levels));
        g_mutex_unlock(&qtest_irq_lock);
        g_mutex_lock(&qtest_log_lock);
        g_clear_pointer(&qtest_timer, g_timer_destroy);
        qtest_timer = g_timer_new();
        qtest_opened = true;
        g_mutex_unlock(&qtest_log_lock);
        qtest_log("[I %.06f] OPENED\n", qtest_elapsed());
        break;
    case CHR_EVENT_CLOSED:
        qtest_log("[I +%.06f] CLOSED\n", qtest_elapsed());
        g_mutex_lock(&qtest_log_lock);
        qtest_opened = false;
        g_mutex_unlock(&qtest_log_lock);
        g_string_truncate(qtest_inbuf, 0);
        qtest_skipping_line = false;
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QTEST);
        break;
    case CHR_EVENT_MUX_IN:
    case CHR_EVENT_MUX_OUT:
        break;
    }
}

bool qtest_server_init(const char *spec, const char *logfile, Error **errp)
{
    Chardev *chr;
    FILE *log = NULL;

    if (qtest_running) {
        error_setg(errp, "Only one instance of qtest can be created");
        return false;
    }
    if (!logfile) {
        log = stderr;
    } else if (strcmp(logfile, "none") != 0) {
        log = fopen(logfile, "w+");
        if (!log) {
            error_setg_errno(errp, errno, "Could not open qtest log '%s'",
                             logfile);
            return false;
        }
    }
    chr = qemu_chr_new_legacy("qtest", spec, errp);
    if (!chr) {
        error_prepend(errp, "Failed to initialize device for qtest: "
                      "\"%s\": ", spec);
        if (log && log != stderr) {
            fclose(log);
        }
        return false;
    }
    qtest_log_fp = log;
    qtest_chr = chr;
    qtest_inbuf = g_string_new(NULL);
    qtest_running = true;
    qemu_chr_set_handlers(chr, qtest_read, qtest_event, NULL);
    return true;
}

void qtest_server_feed(const uint8_t *buf, size_t len)
{
    qtest_read(NULL, buf, len);
}

/* ---- The qtest accelerator ---- */

/*
 * No vCPUs run: the test is the CPU.  An interrupt line's level goes to
 * the test once it asked for "irq_intercept_in ioapic" (every GSI of the
 * pc machine is an IOAPIC input); an MSI is the memory write a CPU would
 * see, so it lands in guest memory where the test can read it (QEMU's
 * libqos checks MSI-X this way).  There are no ioeventfds or irqfds:
 * devices take the plain paths.
 */
static void qtest_accel_set_irq(unsigned gsi, bool level)
{
    qtest_irq_report(gsi, level);
}

static void qtest_accel_deliver_msi(uint64_t addr, uint32_t data)
{
    uint32_t le = GUINT32_TO_LE(data);

    guest_memory_write(addr, &le, sizeof(le));
}

static const AccelOps qtest_accel_ops = {
    .name = "qtest",
    .set_irq = qtest_accel_set_irq,
    .deliver_msi = qtest_accel_deliver_msi,
};

accel_type_init(qtest_accel_ops)
