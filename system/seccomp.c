/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -sandbox on[,obsolete=allow|deny][,elevateprivileges=allow|deny|children]
 *          [,spawn=allow|deny][,resourcecontrol=allow|deny]
 *
 * A seccomp deny list through libseccomp, with the sets and actions of
 * QEMU 7.2 (softmmu/qemu-seccomp.c): everything is allowed except
 *   - always: syscalls a VMM never needs (reboot, swapon, mount, ...);
 *   - obsolete=deny (the default with on): obsolete syscalls;
 *   - elevateprivileges=deny|children: changing user, group or session
 *     (children also sets no_new_privs);
 *   - spawn=deny: fork, vfork, execve;
 * which kill the process (or trap where the kernel lacks KILL_PROCESS),
 * and resourcecontrol=deny: changing priorities, scheduling policy (other
 * than SCHED_IDLE) and CPU affinity, which fail with EPERM.  The filter
 * is applied to every thread (TSYNC) after -daemonize has forked.
 */
#include "qemu/osdep.h"
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "qemu/cutils.h"
#include "sysemu/seccomp.h"

enum {
    SANDBOX_SET_DEFAULT = 1 << 0,
    SANDBOX_SET_OBSOLETE = 1 << 1,
    SANDBOX_SET_PRIVILEGED = 1 << 2,
    SANDBOX_SET_SPAWN = 1 << 3,
    SANDBOX_SET_RESOURCECTL = 1 << 4,
};

typedef struct SandboxRule {
    int nr;                     /* SCMP_SYS(); negative where absent */
    unsigned set;
    bool not_sched_idle;        /* only when argument 1 != SCHED_IDLE */
} SandboxRule;

static const SandboxRule sandbox_rules[] = {
    { SCMP_SYS(reboot), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(swapon), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(swapoff), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(syslog), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(mount), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(umount), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(kexec_load), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(afs_syscall), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(break), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(ftime), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(getpmsg), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(gtty), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(lock), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(mpx), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(prof), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(profil), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(putpmsg), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(security), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(stty), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(tuxcall), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(ulimit), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(vserver), SANDBOX_SET_DEFAULT },
    { SCMP_SYS(readdir), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(_sysctl), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(bdflush), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(create_module), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(get_kernel_syms), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(query_module), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(sgetmask), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(ssetmask), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(sysfs), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(uselib), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(ustat), SANDBOX_SET_OBSOLETE },
    { SCMP_SYS(setuid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setgid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setpgid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setsid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setreuid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setregid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setresuid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setresgid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setfsuid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(setfsgid), SANDBOX_SET_PRIVILEGED },
    { SCMP_SYS(fork), SANDBOX_SET_SPAWN },
    { SCMP_SYS(vfork), SANDBOX_SET_SPAWN },
    { SCMP_SYS(execve), SANDBOX_SET_SPAWN },
    { SCMP_SYS(setpriority), SANDBOX_SET_RESOURCECTL },
    { SCMP_SYS(sched_setparam), SANDBOX_SET_RESOURCECTL },
    { SCMP_SYS(sched_setscheduler), SANDBOX_SET_RESOURCECTL, true },
    { SCMP_SYS(sched_setaffinity), SANDBOX_SET_RESOURCECTL },
};

/* Kill the whole process where the kernel can, else trap (SIGSYS). */
static uint32_t sandbox_kill_action(void)
{
    uint32_t action = SECCOMP_RET_KILL_PROCESS;

    if (syscall(__NR_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0) {
        return SCMP_ACT_KILL_PROCESS;
    }
    return SCMP_ACT_TRAP;
}

static bool sandbox_load(unsigned sets, Error **errp)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    uint32_t kill = sandbox_kill_action();
    int rc;

    if (!ctx) {
        error_setg(errp, "failed to initialize seccomp context");
        return false;
    }
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
    if (rc) {
        error_setg_errno(errp, -rc, "failed to set seccomp thread "
                         "synchronization");
        goto out;
    }
    for (size_t i = 0; i < ARRAY_SIZE(sandbox_rules); i++) {
        const SandboxRule *r = &sandbox_rules[i];
        uint32_t action = r->set == SANDBOX_SET_RESOURCECTL ?
                          SCMP_ACT_ERRNO(EPERM) : kill;

        if (!(sets & r->set)) {
            continue;
        }
        rc = r->not_sched_idle ?
            seccomp_rule_add(ctx, action, r->nr, 1,
                             SCMP_A1(SCMP_CMP_NE, SCHED_IDLE)) :
            seccomp_rule_add(ctx, action, r->nr, 0);
        if (rc < 0) {
            error_setg_errno(errp, -rc, "failed to add seccomp denylist "
                             "rules");
            goto out;
        }
    }
    rc = seccomp_load(ctx);
    if (rc < 0) {
        error_setg_errno(errp, -rc, "failed to load seccomp syscall filter "
                         "in kernel");
    }
out:
    seccomp_release(ctx);
    return rc >= 0;
}

/* @key=deny adds @set (children: @set and no_new_privs); allow: nothing. */
static bool sandbox_choice(const QemuOpts *opts, const char *key,
                           unsigned set, bool children_ok, unsigned *sets,
                           Error **errp)
{
    const char *v = qemu_opts_get(opts, key);

    if (!v || !strcmp(v, "allow")) {
        return true;
    }
    if (!strcmp(v, "deny")) {
        *sets |= set;
        return true;
    }
    if (children_ok && !strcmp(v, "children")) {
        *sets |= set;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
            error_setg(errp, "failed to set no_new_privs aborting");
            return false;
        }
        return true;
    }
    error_setg(errp, "invalid argument for %s", key);
    return false;
}

bool seccomp_install(const QemuOpts *opts, Error **errp)
{
    const char *enable = qemu_opts_get(opts, "enable");
    const char *obsolete = qemu_opts_get(opts, "obsolete");
    unsigned sets = SANDBOX_SET_DEFAULT | SANDBOX_SET_OBSOLETE;
    bool on = false;

    if (enable && !parse_bool(enable, &on)) {
        error_setg(errp, "Parameter 'enable' expects 'on' or 'off'");
        return false;
    }
    if (!on) {
        return true;
    }
    if (obsolete && !strcmp(obsolete, "allow")) {
        sets &= ~SANDBOX_SET_OBSOLETE;
    } else if (obsolete && strcmp(obsolete, "deny")) {
        error_setg(errp, "invalid argument for obsolete");
        return false;
    }
    if (!sandbox_choice(opts, "elevateprivileges", SANDBOX_SET_PRIVILEGED,
                        true, &sets, errp) ||
        !sandbox_choice(opts, "spawn", SANDBOX_SET_SPAWN, false, &sets,
                        errp) ||
        !sandbox_choice(opts, "resourcecontrol", SANDBOX_SET_RESOURCECTL,
                        false, &sets, errp)) {
        return false;
    }
    return sandbox_load(sets, errp);
}
