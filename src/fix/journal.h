/* journal.h - private to src/fix: the backup run being written by apply.c. */
#ifndef GOLINT_FIX_JOURNAL_H
#define GOLINT_FIX_JOURNAL_H

#include "fix/fix.h"

typedef struct fix_journal fix_journal;

/* Create backups/RUN/ (mode 0700) under the backup root, after checking
 * that the state directory and backups/ are the invoking user's and not
 * writable by group or others (NULL with why otherwise). The journal's
 * sequence number is one more than any run's there, taken under a lock. */
fix_journal *journal_open(const char *state_dir, const char *run_id, char *why, size_t whylen);
const char *journal_dir(const fix_journal *j);
/* The host directory the run is confined to (its --root; default "/"):
 * undo refuses a target outside it. */
void journal_set_root(fix_journal *j, const char *host_root);

/* Before a file is replaced: keep its original bytes (the first time it is
 * touched in the run) and record the hash it will have. Writes the journal
 * to disk. *backup_out receives the backup's path (journal-owned). The
 * device and inode of the file written are recorded by the next call
 * (record, revert, close), if its bytes are then the recorded ones; undo
 * restores nothing without them. */
bool journal_record(fix_journal *j, const char *display, const char *target,
                    const char *before, size_t before_len, bool created,
                    const char *after, size_t after_len,
                    const char *const *rules, size_t nrules,
                    const char **backup_out, char *why, size_t whylen);
/* The write recorded last happened: keep the file's device and inode now,
 * so that a run killed after its last write can still be undone. */
void journal_written(fix_journal *j);
/* The write recorded last did not happen: put the entry back as it was. */
void journal_revert_last(fix_journal *j);
void journal_close(fix_journal *j);

/* A sortable run id: UTC time with microseconds, then the pid. */
void fix_run_id(char *out, size_t len);

#endif
