/* Reading PINs and passphrases for staff commands: environment, terminal without echo, or stdin. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
}

bool wl_cli_read_secret(const char *prompt, const char *env_name, char *buf, size_t size)
{
    if (size == 0) return false;
    buf[0] = '\0';
    const char *env = env_name ? getenv(env_name) : NULL;
    if (env) {
        if (strlen(env) >= size) return false;
        memcpy(buf, env, strlen(env) + 1);
        return true;
    }
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty) {
        /* Echo off so a PIN never shows on the screen or in a terminal log. */
        struct termios old, quiet;
        int fd = fileno(tty);
        bool restore = tcgetattr(fd, &old) == 0;
        if (restore) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(fd, TCSAFLUSH, &quiet);
        }
        fputs(prompt, tty);
        fflush(tty);
        char *got = fgets(buf, (int)size, tty);
        if (restore) tcsetattr(fd, TCSAFLUSH, &old);
        fputc('\n', tty);
        fclose(tty);
        if (!got) return false;
        chomp(buf);
        return true;
    }
    if (!fgets(buf, (int)size, stdin)) {
        sodium_memzero(buf, size);
        return false;
    }
    chomp(buf);
    return true;
}
