/*
 * sysctl.c - sysctl.conf and sysctl.d/NAME.conf (sysctl.d(5)): "key = value"
 * lines, '#'/';' comments, '-' to ignore a failure (or, without a value, to
 * exclude a key from a glob), '/' or '.' as separator. The table lists the
 * keys of the namespaces golint-env vets (fs., net.core., kernel.).
 */
#include "parse/parse.h"

#include <stdlib.h>
#include <string.h>

#include "parse/lines.h"

/* Sorted (strcmp order) for bsearch. */
static const char *const sysctl_keys[] = {
    "fs.aio-max-nr",
    "fs.aio-nr",
    "fs.binfmt_misc.register",
    "fs.binfmt_misc.status",
    "fs.dentry-negative",
    "fs.dentry-state",
    "fs.dir-notify-enable",
    "fs.epoll.max_user_watches",
    "fs.fanotify.max_queued_events",
    "fs.fanotify.max_user_groups",
    "fs.fanotify.max_user_marks",
    "fs.fanotify.watchdog_timeout",
    "fs.file-max",
    "fs.file-nr",
    "fs.fuse.default_request_timeout",
    "fs.fuse.max_pages_limit",
    "fs.fuse.max_request_timeout",
    "fs.inode-max",
    "fs.inode-nr",
    "fs.inode-state",
    "fs.inotify.max_queued_events",
    "fs.inotify.max_user_instances",
    "fs.inotify.max_user_watches",
    "fs.lease-break-time",
    "fs.leases-enable",
    "fs.may_detach_mounts",
    "fs.mount-max",
    "fs.mqueue.msg_default",
    "fs.mqueue.msg_max",
    "fs.mqueue.msgsize_default",
    "fs.mqueue.msgsize_max",
    "fs.mqueue.queues_max",
    "fs.nfs.idmap_cache_timeout",
    "fs.nfs.nfs_callback_tcpport",
    "fs.nfs.nfs_congestion_kb",
    "fs.nfs.nfs_mountpoint_timeout",
    "fs.nfs.nlm_grace_period",
    "fs.nfs.nlm_tcpport",
    "fs.nfs.nlm_timeout",
    "fs.nfs.nlm_udpport",
    "fs.nfs.nsm_local_state",
    "fs.nfs.nsm_use_hostnames",
    "fs.nr_open",
    "fs.overflowgid",
    "fs.overflowuid",
    "fs.pipe-max-size",
    "fs.pipe-user-pages-hard",
    "fs.pipe-user-pages-soft",
    "fs.protected_fifos",
    "fs.protected_hardlinks",
    "fs.protected_regular",
    "fs.protected_symlinks",
    "fs.quota.allocated_dquots",
    "fs.quota.cache_hits",
    "fs.quota.drops",
    "fs.quota.free_dquots",
    "fs.quota.lookups",
    "fs.quota.reads",
    "fs.quota.syncs",
    "fs.quota.warnings",
    "fs.quota.writes",
    "fs.suid_dumpable",
    "fs.verity.require_signatures",
    "fs.xfs.error_level",
    "fs.xfs.filestream_centisecs",
    "fs.xfs.inherit_noatime",
    "fs.xfs.inherit_nodefrag",
    "fs.xfs.inherit_nodump",
    "fs.xfs.inherit_nosymlinks",
    "fs.xfs.inherit_sync",
    "fs.xfs.irix_sgid_inherit",
    "fs.xfs.irix_symlink_mode",
    "fs.xfs.panic_mask",
    "fs.xfs.rotorstep",
    "fs.xfs.speculative_prealloc_lifetime",
    "fs.xfs.stats_clear",
    "fs.xfs.xfssyncd_centisecs",
    "kernel.acct",
    "kernel.acpi_video_flags",
    "kernel.apparmor_display_secid_mode",
    "kernel.apparmor_restrict_unprivileged_io_uring",
    "kernel.apparmor_restrict_unprivileged_unconfined",
    "kernel.apparmor_restrict_unprivileged_userns",
    "kernel.apparmor_restrict_unprivileged_userns_complain",
    "kernel.apparmor_restrict_unprivileged_userns_force",
    "kernel.arch",
    "kernel.auto_msgmni",
    "kernel.bootloader_type",
    "kernel.bootloader_version",
    "kernel.bpf_stats_enabled",
    "kernel.cad_pid",
    "kernel.cap_last_cap",
    "kernel.core_file_note_size_limit",
    "kernel.core_modes",
    "kernel.core_pattern",
    "kernel.core_pipe_limit",
    "kernel.core_sort_vma",
    "kernel.core_uses_pid",
    "kernel.ctrl-alt-del",
    "kernel.dmesg_restrict",
    "kernel.domainname",
    "kernel.exec-shield",
    "kernel.firmware_config.force_sysfs_fallback",
    "kernel.firmware_config.ignore_sysfs_fallback",
    "kernel.ftrace_dump_on_oops",
    "kernel.ftrace_enabled",
    "kernel.hardlockup_all_cpu_backtrace",
    "kernel.hardlockup_panic",
    "kernel.hostname",
    "kernel.hotplug",
    "kernel.hung_task_all_cpu_backtrace",
    "kernel.hung_task_check_count",
    "kernel.hung_task_check_interval_secs",
    "kernel.hung_task_detect_count",
    "kernel.hung_task_panic",
    "kernel.hung_task_timeout_secs",
    "kernel.hung_task_warnings",
    "kernel.init_private",
    "kernel.init_private_helper",
    "kernel.init_private_vsock_local_port",
    "kernel.init_private_vsock_port",
    "kernel.io_delay_type",
    "kernel.io_uring_disabled",
    "kernel.io_uring_group",
    "kernel.kexec_crash_size",
    "kernel.kexec_load_disabled",
    "kernel.kexec_load_limit_panic",
    "kernel.kexec_load_limit_reboot",
    "kernel.keys.gc_delay",
    "kernel.keys.maxbytes",
    "kernel.keys.maxkeys",
    "kernel.keys.persistent_keyring_expiry",
    "kernel.keys.root_maxbytes",
    "kernel.keys.root_maxkeys",
    "kernel.kptr_restrict",
    "kernel.latencytop",
    "kernel.max_lock_depth",
    "kernel.max_rcu_stall_to_panic",
    "kernel.modprobe",
    "kernel.modules_disabled",
    "kernel.msg_next_id",
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.ngroups_max",
    "kernel.nmi_watchdog",
    "kernel.ns_last_pid",
    "kernel.numa_balancing",
    "kernel.numa_balancing_promote_rate_limit_MBps",
    "kernel.numa_balancing_scan_delay_ms",
    "kernel.numa_balancing_scan_period_max_ms",
    "kernel.numa_balancing_scan_period_min_ms",
    "kernel.numa_balancing_scan_size_mb",
    "kernel.oops_all_cpu_backtrace",
    "kernel.oops_limit",
    "kernel.osrelease",
    "kernel.ostype",
    "kernel.overflowgid",
    "kernel.overflowuid",
    "kernel.panic",
    "kernel.panic_on_io_nmi",
    "kernel.panic_on_oops",
    "kernel.panic_on_rcu_stall",
    "kernel.panic_on_stackoverflow",
    "kernel.panic_on_unrecovered_nmi",
    "kernel.panic_on_warn",
    "kernel.panic_print",
    "kernel.panic_sys_info",
    "kernel.perf_cpu_time_max_percent",
    "kernel.perf_event_max_contexts_per_stack",
    "kernel.perf_event_max_sample_rate",
    "kernel.perf_event_max_stack",
    "kernel.perf_event_mlock_kb",
    "kernel.perf_event_paranoid",
    "kernel.perf_user_access",
    "kernel.pid_max",
    "kernel.poweroff_cmd",
    "kernel.powersave-nap",
    "kernel.print-fatal-signals",
    "kernel.printk",
    "kernel.printk_delay",
    "kernel.printk_devkmsg",
    "kernel.printk_ratelimit",
    "kernel.printk_ratelimit_burst",
    "kernel.pty.max",
    "kernel.pty.nr",
    "kernel.pty.reserve",
    "kernel.random.boot_id",
    "kernel.random.entropy_avail",
    "kernel.random.poolsize",
    "kernel.random.read_wakeup_threshold",
    "kernel.random.urandom_min_reseed_secs",
    "kernel.random.uuid",
    "kernel.random.write_wakeup_threshold",
    "kernel.randomize_va_space",
    "kernel.real-root-dev",
    "kernel.reboot-cmd",
    "kernel.sched_autogroup_enabled",
    "kernel.sched_cfs_bandwidth_slice_us",
    "kernel.sched_child_runs_first",
    "kernel.sched_compat_yield",
    "kernel.sched_deadline_period_max_us",
    "kernel.sched_deadline_period_min_us",
    "kernel.sched_energy_aware",
    "kernel.sched_features",
    "kernel.sched_itmt_enabled",
    "kernel.sched_latency_ns",
    "kernel.sched_migration_cost_ns",
    "kernel.sched_min_granularity_ns",
    "kernel.sched_nr_migrate",
    "kernel.sched_rr_timeslice_ms",
    "kernel.sched_rt_period_us",
    "kernel.sched_rt_runtime_us",
    "kernel.sched_schedstats",
    "kernel.sched_tunable_scaling",
    "kernel.sched_util_clamp_max",
    "kernel.sched_util_clamp_min",
    "kernel.sched_util_clamp_min_rt_default",
    "kernel.sched_wakeup_granularity_ns",
    "kernel.seccomp.actions_avail",
    "kernel.seccomp.actions_logged",
    "kernel.sem",
    "kernel.sem_next_id",
    "kernel.sg-big-buff",
    "kernel.shm_next_id",
    "kernel.shm_rmid_forced",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.soft_watchdog",
    "kernel.softlockup_all_cpu_backtrace",
    "kernel.softlockup_panic",
    "kernel.softlockup_thresh",
    "kernel.split_lock_mitigate",
    "kernel.stack_erasing",
    "kernel.stack_tracer_enabled",
    "kernel.stop-a",
    "kernel.sysctl_writes_strict",
    "kernel.sysrq",
    "kernel.tainted",
    "kernel.task_delayacct",
    "kernel.threads-max",
    "kernel.timer_migration",
    "kernel.traceoff_on_warning",
    "kernel.tracepoint_printk",
    "kernel.unaligned-dump-stack",
    "kernel.unaligned-trap",
    "kernel.unknown_nmi_panic",
    "kernel.unprivileged_bpf_disabled",
    "kernel.unprivileged_userns_apparmor_policy",
    "kernel.unprivileged_userns_clone",
    "kernel.user_events_max",
    "kernel.usermodehelper.bset",
    "kernel.usermodehelper.inheritable",
    "kernel.version",
    "kernel.warn_limit",
    "kernel.watchdog",
    "kernel.watchdog_cpumask",
    "kernel.watchdog_thresh",
    "kernel.yama.ptrace_scope",
    "net.core.bpf_jit_enable",
    "net.core.bpf_jit_harden",
    "net.core.bpf_jit_kallsyms",
    "net.core.bpf_jit_limit",
    "net.core.busy_poll",
    "net.core.busy_read",
    "net.core.default_qdisc",
    "net.core.dev_weight",
    "net.core.dev_weight_rx_bias",
    "net.core.dev_weight_tx_bias",
    "net.core.devconf_inherit_init_net",
    "net.core.fb_tunnels_only_for_init_net",
    "net.core.flow_limit_cpu_bitmap",
    "net.core.flow_limit_table_len",
    "net.core.gro_normal_batch",
    "net.core.high_order_alloc_disable",
    "net.core.max_dst_opts_cnt",
    "net.core.max_dst_opts_len",
    "net.core.max_hbh_length",
    "net.core.max_hbh_opts_cnt",
    "net.core.max_skb_frags",
    "net.core.mem_pcpu_rsv",
    "net.core.message_burst",
    "net.core.message_cost",
    "net.core.netdev_budget",
    "net.core.netdev_budget_usecs",
    "net.core.netdev_max_backlog",
    "net.core.netdev_rss_key",
    "net.core.netdev_tstamp_prequeue",
    "net.core.netdev_unregister_timeout_secs",
    "net.core.optmem_max",
    "net.core.rmem_default",
    "net.core.rmem_max",
    "net.core.rps_default_mask",
    "net.core.rps_sock_flow_entries",
    "net.core.skb_defer_max",
    "net.core.somaxconn",
    "net.core.tstamp_allow_data",
    "net.core.txrehash",
    "net.core.warnings",
    "net.core.wmem_default",
    "net.core.wmem_max",
    "net.core.xfrm_acq_expires",
    "net.core.xfrm_aevent_etime",
    "net.core.xfrm_aevent_rseqth",
    "net.core.xfrm_larval_drop",
};

/* Folders whose entries come and go with modules, filesystems and CPUs. */
static const char *const sysctl_dynamic_prefixes[] = {
    "fs.binfmt_misc.", "fs.nfs.", "fs.xfs.", "fs.ocfs2.", "fs.lustre.", "fs.fscache.",
    "kernel.sched_domain.", "kernel.random.", "net.core.bpf_",
};

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool sysctl_key_checked(const char *key)
{
    if (strpbrk(key, "*?["))
        return false;
    if (!str_starts_with(key, "fs.") && !str_starts_with(key, "net.core.") &&
        !str_starts_with(key, "kernel."))
        return false;
    for (size_t i = 0; i < GE_ARRAY_LEN(sysctl_dynamic_prefixes); i++)
        if (str_starts_with(key, sysctl_dynamic_prefixes[i]))
            return false;
    return true;
}

bool sysctl_key_known(const char *key)
{
    return bsearch(&key, sysctl_keys, GE_ARRAY_LEN(sysctl_keys), sizeof(sysctl_keys[0]), key_cmp) != NULL;
}

const char *sysctl_key_suggest(const char *key)
{
    char low[128];
    lines_lower(low, sizeof(low), key);
    /* common slips: '_' for '-' and back */
    const char *best = NULL;
    size_t best_d = 4, klen = strlen(low);
    for (size_t i = 0; i < GE_ARRAY_LEN(sysctl_keys); i++) {
        const char *k = sysctl_keys[i];
        size_t l = strlen(k);
        if (l + 3 < klen || klen + 3 < l)
            continue;
        size_t d = str_edit_distance(low, k, 3);
        if (d < best_d) {
            best_d = d;
            best = k;
        }
    }
    /* the leaf must stay recognisable: at most one edit per four characters */
    if (best && best_d * 4 > klen)
        return NULL;
    return best;
}

/* sysctl.d(5): if the first separator is '/', swap '/' and '.'. */
static char *key_normalise(arena *a, const char *s, size_t n)
{
    char *k = arena_strndup(a, s, n);
    char *sep = strpbrk(k, "./");
    if (sep && *sep == '/')
        for (char *p = k; *p; p++)
            *p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
    return k;
}

sysctl_file *sysctl_parse(arena *a, const source_file *src)
{
    sysctl_file *sf = arena_alloc(a, sizeof(*sf));
    sf->src = src;
    size_t cap = 0;
    problem_list pl = {0};
    line_cursor c = {.data = src->data, .len = src->len};
    const char *d = src->data;
    size_t s, e;
    while (lines_next(&c, &s, &e)) {
        size_t ts = s, te = e;
        lines_trim(d, &ts, &te);
        if (ts == te || d[ts] == '#' || d[ts] == ';')
            continue;
        const char *eq = memchr(d + ts, '=', te - ts);
        bool dash = d[ts] == '-';
        size_t ks = ts + (dash ? 1 : 0), ke = eq ? (size_t)(eq - d) : te;
        lines_trim(d, &ks, &ke);
        if (!eq && !dash) {
            lines_problem(a, &pl, ts, te, "line is not a 'key = value' assignment: it is ignored");
            continue;
        }
        if (ks == ke) {
            lines_problem(a, &pl, ts, te, "assignment without a key");
            continue;
        }
        sysctl_entry *en = LINES_PUSH(a, sf->entries, sf->nentries, cap);
        en->key = key_normalise(a, d + ks, ke - ks);
        en->ignore_failure = dash;
        en->glob = strpbrk(en->key, "*?[") != NULL;
        en->start = ts;
        en->end = te;
        en->key_start = ks;
        en->key_end = ke;
        en->line = c.line;
        en->src = src;
        if (eq) {
            size_t vs = (size_t)(eq - d) + 1, ve = te;
            lines_trim(d, &vs, &ve);
            en->value_start = vs;
            en->value_end = ve;
            en->value = arena_strndup(a, d + vs, ve - vs);
        } else {
            en->value_start = en->value_end = te;
            en->value = NULL;
        }
        for (const char *p = en->key; *p; p++)
            if (lines_blank(*p)) {
                lines_problem(a, &pl, ks, ke, "key '%s' holds blanks", en->key);
                break;
            }
    }
    sf->problems = pl.items;
    sf->nproblems = pl.n;
    return sf;
}
