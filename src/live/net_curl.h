/*
 * net_curl.h - libcurl, loaded with dlopen the first time a probe needs it.
 * Linking libcurl made every run (check, env, doctor --offline) pay for
 * loading and initialising it and its TLS stack (~7 ms of an 8 ms start);
 * only the network probes use it. Include this instead of <curl/curl.h>:
 * the curl_* calls below then go through the loaded library.
 */
#ifndef GOLINT_NET_CURL_H
#define GOLINT_NET_CURL_H

#ifdef GOLINT_ENV_HAVE_CURL
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include <stdbool.h>
#include <stddef.h>

typedef struct net_curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *h);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_perform)(CURLM *m, int *running);
    CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd extra[], unsigned n, int timeout_ms, int *numfds);
    CURLMsg *(*multi_info_read)(CURLM *m, int *left);
    CURLMcode (*multi_cleanup)(CURLM *m);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
} net_curl_api;

extern net_curl_api net_curl;

/* Load libcurl once (thread-unsafe: call from one thread). False with a
 * one-line reason when it cannot be loaded; the probes are then skipped. */
bool net_curl_load(char *why, size_t whylen);

#define curl_global_init net_curl.global_init
#define curl_easy_init net_curl.easy_init
#undef curl_easy_setopt
#define curl_easy_setopt net_curl.easy_setopt
#undef curl_easy_getinfo
#define curl_easy_getinfo net_curl.easy_getinfo
#define curl_easy_cleanup net_curl.easy_cleanup
#define curl_easy_strerror net_curl.easy_strerror
#define curl_multi_init net_curl.multi_init
#define curl_multi_add_handle net_curl.multi_add_handle
#define curl_multi_remove_handle net_curl.multi_remove_handle
#define curl_multi_perform net_curl.multi_perform
#define curl_multi_poll net_curl.multi_poll
#define curl_multi_info_read net_curl.multi_info_read
#define curl_multi_cleanup net_curl.multi_cleanup
#define curl_slist_append net_curl.slist_append
#define curl_slist_free_all net_curl.slist_free_all
#endif

#endif
