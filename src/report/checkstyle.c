/*
 * checkstyle.c - Checkstyle XML as ShellCheck emits it (`shellcheck -f
 * checkstyle`), which Jenkins, reviewdog and editors already read: one
 * <file> per file with findings, one <error> per finding, source = rule ID.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

/* Attribute value escaping. XML 1.0 forbids most control characters even as
 * references, so they (and C1 controls, which a terminal showing the XML
 * would act on, and invalid UTF-8) become U+FFFD; newlines and tabs are kept
 * as references so attribute normalisation does not eat them. */
static void xml_escaped(strbuf *sb, const char *raw)
{
    char *s = report_utf8_clean(raw);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&': strbuf_adds(sb, "&amp;"); break;
        case '<': strbuf_adds(sb, "&lt;"); break;
        case '>': strbuf_adds(sb, "&gt;"); break;
        case '"': strbuf_adds(sb, "&quot;"); break;
        case '\'': strbuf_adds(sb, "&apos;"); break;
        case '\n': strbuf_adds(sb, "&#10;"); break;
        case '\r': strbuf_adds(sb, "&#13;"); break;
        case '\t': strbuf_adds(sb, "&#9;"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                strbuf_adds(sb, "\xef\xbf\xbd");
            else if (c == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] < 0xa0)
                strbuf_adds(sb, "\xef\xbf\xbd"), p++;
            else
                strbuf_addc(sb, (char)c);
        }
    }
    free(s);
}

/* Checkstyle knows error, warning, info and ignore; style is closest to info. */
static const char *checkstyle_severity(severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    default: return "info";
    }
}

void report_checkstyle(strbuf *sb, const finding_list *fl, const report_options *ro)
{
    (void)ro;
    strbuf_adds(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.5\">\n");
    const char *open = NULL;
    for (size_t i = 0; i < fl->n; i++) {
        const finding *f = fl->items[i];
        if (!open || strcmp(open, f->file) != 0) {
            if (open)
                strbuf_adds(sb, "</file>\n");
            strbuf_adds(sb, "<file name=\"");
            xml_escaped(sb, f->file);
            strbuf_adds(sb, "\">\n");
            open = f->file;
        }
        strbuf_addf(sb, "<error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"",
                    f->line, f->column, checkstyle_severity(f->sev));
        xml_escaped(sb, f->message);
        strbuf_adds(sb, "\" source=\"");
        xml_escaped(sb, f->rule);
        strbuf_adds(sb, "\"/>\n");
    }
    if (open)
        strbuf_adds(sb, "</file>\n");
    strbuf_adds(sb, "</checkstyle>\n");
}
