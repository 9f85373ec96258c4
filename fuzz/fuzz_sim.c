/* fuzz_sim.c - the startup-chain simulator: the input, split at 0xff bytes,
 * becomes a user's startup files in a temporary root (passwd picks the
 * shell); sim_run simulates every context and sim_to_json renders it. Variables
 * come out sorted and found by sim_lookup; the document must be JSON. */
#include "fuzz.h"
#include "sim/sim.h"

#include <cjson/cJSON.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static const char *const files[] = {
    "/home/u/.bashrc", "/home/u/.profile", "/etc/profile", "/home/u/.zshrc",
    "/home/u/.zshenv", "/etc/profile.d/go.sh", "/home/u/.bash_profile", "/etc/bash.bashrc",
    "/etc/environment", "/home/u/lib.sh",
};

static void put(const char *machine_path, const char *text, size_t len)
{
    char p[256];
    snprintf(p, sizeof(p), "%s%s", dir, machine_path);
    fuzz_write_file(p, text, len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    snprintf(dir, sizeof(dir), "/tmp/golint-fuzz-sim-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    static const char *const dirs[] = {"/etc", "/etc/profile.d", "/etc/zsh", "/home", "/home/u"};
    for (size_t i = 0; i < GE_ARRAY_LEN(dirs); i++) {
        char p[256];
        snprintf(p, sizeof(p), "%s%s", dir, dirs[i]);
        mkdir(p, 0755);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader r = {data, size};
    static const char *const shells[] = {"/bin/bash", "/usr/bin/zsh", "/bin/sh"};
    char pw[128];
    int n = snprintf(pw, sizeof(pw), "u:x:1000:1000::/home/u:%s\n", shells[fuzz_byte(&r) % 3]);
    put("/etc/passwd", pw, (size_t)n);
    for (size_t i = 0; i < GE_ARRAY_LEN(files); i++) {
        char *text = fuzz_str(&r, 1 << 16);
        put(files[i], text, strlen(text));
        free(text);
    }
    root rt = {.dir = dir};
    char *const env[] = {"HOME=/home/u", "USER=u", "SHELL=/bin/bash", NULL};
    sim_options opt = {.root = &rt, .home = "/home/u", .environ = env, .max_steps = 200000};
    sim_result *res = sim_run(&opt, NULL);
    FUZZ_ASSERT(res != NULL);
    for (size_t c = 0; c < res->ncontexts; c++) {
        const sim_context *ctx = &res->contexts[c];
        for (size_t v = 0; v < ctx->nvars; v++) {
            const env_var *ev = &ctx->vars[v];
            FUZZ_ASSERT(ev->name != NULL);
            if (v)
                FUZZ_ASSERT(strcmp(ctx->vars[v - 1].name, ev->name) < 0);
            FUZZ_ASSERT(sim_lookup(ctx, ev->name) == ev);
        }
    }
    strbuf sb = STRBUF_INIT;
    sim_to_json(res, &sb);
    cJSON *j = cJSON_ParseWithLength(sb.data, sb.len);
    FUZZ_ASSERT(j != NULL);
    cJSON_Delete(j);
    strbuf_release(&sb);
    sim_result_free(res);
    return 0;
}
