/* net_curl.c - libcurl loaded on first use (see net_curl.h). */
#include "live/net_curl.h"

#ifdef GOLINT_ENV_HAVE_CURL
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

net_curl_api net_curl;

static bool loaded, failed;
static char failure[256];

/* dlsym returns void *; POSIX guarantees it converts to a function pointer. */
#define CURL_SYM(field, name)                                                     \
    do {                                                                          \
        void *p_ = dlsym(h, name);                                                \
        if (!p_) {                                                                \
            snprintf(failure, sizeof(failure), "libcurl lacks %s", name);         \
            failed = true;                                                        \
            return false;                                                         \
        }                                                                         \
        memcpy(&net_curl.field, &p_, sizeof(p_));                                 \
    } while (0)

bool net_curl_load(char *why, size_t whylen)
{
    if (loaded)
        return true;
    if (!failed) {
        void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (!h)
            h = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            snprintf(failure, sizeof(failure), "cannot load libcurl: %s", e ? e : "not found");
            failed = true;
        } else {
            CURL_SYM(global_init, "curl_global_init");
            CURL_SYM(easy_init, "curl_easy_init");
            CURL_SYM(easy_setopt, "curl_easy_setopt");
            CURL_SYM(easy_getinfo, "curl_easy_getinfo");
            CURL_SYM(easy_cleanup, "curl_easy_cleanup");
            CURL_SYM(easy_strerror, "curl_easy_strerror");
            CURL_SYM(multi_init, "curl_multi_init");
            CURL_SYM(multi_add_handle, "curl_multi_add_handle");
            CURL_SYM(multi_remove_handle, "curl_multi_remove_handle");
            CURL_SYM(multi_perform, "curl_multi_perform");
            CURL_SYM(multi_poll, "curl_multi_poll");
            CURL_SYM(multi_info_read, "curl_multi_info_read");
            CURL_SYM(multi_cleanup, "curl_multi_cleanup");
            CURL_SYM(slist_append, "curl_slist_append");
            CURL_SYM(slist_free_all, "curl_slist_free_all");
            loaded = true;
            return true;
        }
    }
    snprintf(why, whylen, "%s", failure);
    return false;
}
#endif
