/* Voorlezen: what a screen says, in reading order, and espeak-ng speech of it (PCM, WAV, playback). */
#ifndef WLK_SPEECH_H
#define WLK_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui.h"

/* The text of v to read aloud: titles, question, help text, choices and buttons in the order the
 * screen builds them, one item per line. Personal data (typed answers in fields, the date being
 * typed, the summary's answers and the reference panel) only when `personal`, which the caller
 * allows only for a headphone on the citizen's request (ui_speech_text); the volunteer banner
 * (a name) and the keyboard never. Returns the length written (truncated to outsz-1). */
size_t speech_screen_text(const view_t *v, bool personal, char *out, size_t outsz);
/* What Voorlezen reads on the UI's current screen v: personal data only with speech_output =
 * headphone and after the citizen tapped "Ook mijn antwoorden" this session, never on the
 * sign-in and staff screens. */
size_t ui_speech_text(const ui_t *ui, const view_t *v, char *out, size_t outsz);

/* The espeak-ng voice for a language code, or NULL: espeak-ng has no Tigrinya voice (ti), so
 * Tigrinya is read only from recorded clips (speech_clip_path). */
const char *speech_voice(const char *lang);

/* assets/audio/<lang>/<id>.wav for one spoken item: id is the 16 hex digits of the FNV-1a 64
 * hash of the item's text as shown (docs/languages.md explains how to record one). */
void speech_clip_path(const char *assets, const char *lang, const char *text, char *out, size_t outsz);

/* Synthesises text (UTF-8) with the voice for lang into 16-bit mono PCM at *rate Hz; volume
 * 0-100 scales the samples. false with msg when the language has no voice or espeak-ng fails.
 * Not thread safe: espeak-ng has one global state (speech_player_t serialises its use). */
bool speech_synth(const char *lang, const char *text, int volume, int16_t **pcm, size_t *n, int *rate, char *msg,
                  size_t msgsz);

/* Releases espeak-ng (at exit; after the player is freed). */
void speech_shutdown(void);

/* Writes PCM as a RIFF WAV file. */
bool speech_write_wav(const char *path, const int16_t *pcm, size_t n, int rate);

/* Playback that never blocks the UI: synthesis runs on a worker thread and the samples go to an
 * SDL audio device queue. say() replaces whatever is being said; stop() silences at once. */
typedef struct speech_player speech_player_t;
/* device: the SDL audio output device's name, NULL or "" for the default one. */
speech_player_t *speech_player_new(const char *assets, const char *device);
void speech_player_say(speech_player_t *p, const char *lang, const char *text, int volume);
void speech_player_stop(speech_player_t *p);
bool speech_player_busy(speech_player_t *p);
void speech_player_free(speech_player_t *p);

#endif
