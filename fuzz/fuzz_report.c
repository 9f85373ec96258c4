/* fuzz_report.c - the reporters: findings built from the input (positions,
 * messages, links, fixes with arbitrary byte ranges in a file whose text is
 * also from the input) through text, gcc, json, sarif, checkstyle and diff.
 * JSON and SARIF output must parse as JSON. */
#include "fuzz.h"
#include "report/report.h"

#include <cjson/cJSON.h>
#include <unistd.h>

static char file[64];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_registry_init();
    snprintf(file, sizeof(file), "/tmp/golint-fuzz-report-XXXXXX");
    int fd = mkstemp(file);
    if (fd < 0)
        abort();
    close(fd);
    devnull = fopen("/dev/null", "w");
    return 0;
}

static void json_ok(const strbuf *sb)
{
    cJSON *j = cJSON_ParseWithLength(sb->data, sb->len);
    FUZZ_ASSERT(j != NULL);
    cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const rules[] = {"GE1000", "GE2001", "GE2002", "GE3001", "GE9999", ""};
    fuzz_reader r = {data, size};
    /* the analysed file: the first string of the input */
    char *text = fuzz_str(&r, 4096);
    fuzz_write_file(file, text, strlen(text));
    source_error se;
    char why[512];
    source_file *src = source_load(file, file, &se, why, sizeof(why));
    FUZZ_ASSERT(src != NULL);

    finding_list fl;
    findings_init(&fl);
    finding *prev = NULL;
    for (unsigned n = fuzz_byte(&r) % 12; n-- && r.n;) {
        size_t start = fuzz_size(&r, src->len + 2), end = fuzz_size(&r, src->len + 2);
        if (start > src->len) start = src->len;
        if (end > src->len) end = src->len;
        if (end < start) { size_t t = start; start = end; end = t; }
        char *msg = fuzz_str(&r, 200);
        unsigned flags = fuzz_byte(&r);
        finding *fd = finding_add(&fl, rules[flags % GE_ARRAY_LEN(rules)], (severity)(flags >> 3 & 3),
                                  src, start, end, "%s", msg);
        if (flags & 0x20)
            finding_add_context(&fl, fd, (flags & 0x40) ? "login" : "terminal");
        if ((flags & 0x80) && prev)
            finding_link(&fl, prev, fd);
        if (flags & 0x04) {
            char *repl = fuzz_str(&r, 100);
            fix *fx = finding_set_fix(&fl, fd, (fix_applicability)(fuzz_byte(&r) % 3), "replace %s", repl);
            for (unsigned e = fuzz_byte(&r) % 3 + 1; e--;) {
                size_t es = fuzz_size(&r, src->len), ee = fuzz_size(&r, src->len);
                if (ee < es) { size_t t = es; es = ee; ee = t; }
                fix_add_edit(&fl, fx, src, es, ee, repl);
            }
            free(repl);
        }
        free(msg);
        prev = fd;
    }
    findings_sort(&fl);

    source_set set = {0};
    source_set_add(&set, src);
    report_options ro = {.color = size & 1, .show_source = true, .show_summary = true,
                         .sources = &set, .registry = registry_global(), .unsafe_fixes = size & 2};
    report_text(devnull, &fl, &ro);
    report_gcc(devnull, &fl, &ro);
    report_diff(devnull, &fl, &ro);
    strbuf sb = STRBUF_INIT;
    report_json(&sb, &fl, &ro);
    json_ok(&sb);
    strbuf_reset(&sb);
    report_sarif(&sb, &fl, &ro);
    json_ok(&sb);
    strbuf_reset(&sb);
    report_checkstyle(&sb, &fl, &ro);
    strbuf_release(&sb);

    findings_release(&fl);
    source_set_release(&set);
    free(text);
    return 0;
}
