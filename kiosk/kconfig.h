/* The kiosk configuration file (key = value lines): what a location sets for one kiosk. */
#ifndef WLK_KCONFIG_H
#define WLK_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define KCFG_MAX_LANGS 8
#define KCFG_PATH 512

typedef struct {
    char location[64];          /* location id, stored with each intake */
    char kiosk_id[64];          /* kiosk id, stored with each intake */
    char database[KCFG_PATH];   /* SQLite file; its folder is created */
    int idle_timeout;           /* seconds without a touch before "Bent u er nog?" */
    int idle_countdown;         /* seconds the question stays before the session is wiped */
    char languages[KCFG_MAX_LANGS][8]; /* offered languages, first is the default */
    int n_languages;
    bool portrait;              /* orientation of the default window size */
    int width, height;          /* window size; 0 = from orientation */
    bool fullscreen;
    bool kiosk_mode;            /* staff lock: no way out without a staff PIN */
    bool voorlezen;             /* a "Voorlezen" button on every screen reads it aloud */
    int voorlezen_volume;       /* 0-100 */
    bool speech_headphone;      /* speech_output = headphone: speech goes to a headphone, and a
                                   citizen may ask for their own answers to be read too */
    char speech_device[128];    /* SDL audio output device for speech; "" = the default one */
    char font[KCFG_PATH];       /* regular font file; empty = fontconfig "Noto Sans" */
    char font_bold[KCFG_PATH];  /* bold font file; empty = fontconfig "Noto Sans:bold" */
    char assets[KCFG_PATH];     /* folder with questionnaires/, rules/, theme/ */
    char locale[KCFG_PATH];     /* folder with <lang>.po */
    double dpi;                 /* assumed pixel density, for the 15 mm touch target */
    bool software;              /* renderer = software: never load a GL driver */
    char public_key[KCFG_PATH]; /* staff public key file that completed intakes are sealed to */
    int public_key_line;        /* its line in the configuration file (0: not from a file) */
    bool allow_unsealed;        /* allow_unsealed = test-only: store without sealing (tests only) */
    char printer[KCFG_PATH];    /* printer spec (printer.h): none, escpos:DEV, cups:QUEUE, file:PATH */
    char server_url[KCFG_PATH]; /* wijkloket-server for the delivery loop; "" = none (all stays local) */
    char server_key[KCFG_PATH]; /* this kiosk's key file from `wijkloket-server kiosk-add` */
    char source[KCFG_PATH];     /* the configuration file read last ("" for built-in defaults) */
} kcfg_t;

/* Fills c with the built-in defaults (paths relative to the working directory). */
void kcfg_defaults(kcfg_t *c);
/* Reads path over the current values. Unknown keys and bad values are refused: returns false
 * with msg holding "file:line: key: what is wrong". */
bool kcfg_load(kcfg_t *c, const char *path, char *msg, size_t msgsz);
/* Sets one key from text (also used for command line overrides); false with msg on error. */
bool kcfg_set(kcfg_t *c, const char *key, const char *value, char *msg, size_t msgsz);
/* True when the staff secret key (secret.key) lies beside the configured public key: then this
 * disk can open every record it seals. Writes that path into path. */
bool kcfg_secret_key_beside(const kcfg_t *c, char *path, size_t n);

#endif
