/* Voorlezen: espeak-ng synthesis to PCM on a worker thread, played through an SDL audio queue. */
#include "speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the screen's text ---------------------------------------------------------------------- */

/* Personal: fields hold typed answers, a field-styled button the date being typed, a bold panel
 * the summary's answers or the reference; screens mark others (w->personal). */
static bool personal_widget(const widget_t *w)
{
    return w->personal || w->kind == W_FIELD || w->style == S_FIELD || (w->style == S_PANEL && w->bold);
}

static bool spoken(const widget_t *w, bool personal)
{
    if (!w->text || !*w->text) return false;
    if (w->kind != W_TEXT && w->kind != W_BUTTON && w->kind != W_FIELD) return false;
    if (w->style == S_KEY || w->style == S_BANNER) return false; /* the keyboard; a volunteer's name */
    return personal || !personal_widget(w);
}

size_t speech_screen_text(const view_t *v, bool personal, char *out, size_t outsz)
{
    size_t n = 0;
    if (outsz) out[0] = 0;
    for (int i = 0; i < v->n && outsz; i++) {
        const widget_t *w = &v->wd[i];
        if (!spoken(w, personal)) continue;
        const char *parts[2] = { w->text, w->kind == W_BUTTON ? w->sub : NULL };
        for (int k = 0; k < 2; k++) {
            if (!parts[k] || !*parts[k]) continue;
            int r = snprintf(out + n, outsz - n, "%s\n", parts[k]);
            if (r < 0 || (size_t)r >= outsz - n) return strlen(out);
            n += (size_t)r;
        }
    }
    return n;
}

/* ---- voices and clips ----------------------------------------------------------------------- */

const char *speech_voice(const char *lang)
{
    static const struct { const char *lang, *voice; } V[] = {
        { "nl", "nl" }, { "en", "en" }, { "ar", "ar" }, { "tr", "tr" }, { "pl", "pl" }, { "uk", "uk" },
    };
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++)
        if (!strcmp(V[i].lang, lang)) return V[i].voice;
    return NULL;
}

void speech_clip_path(const char *assets, const char *lang, const char *text, char *out, size_t outsz)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 1099511628211ull;
    snprintf(out, outsz, "%s/audio/%s/%016llx.wav", assets, lang, (unsigned long long)h);
}

/* ---- synthesis ------------------------------------------------------------------------------ */

typedef struct {
    int16_t *pcm;
    size_t n, cap;
    bool failed;
    volatile int *cancel;
} sink_t;

static int on_samples(short *wav, int numsamples, espeak_EVENT *events)
{
    sink_t *s = events ? events->user_data : NULL;
    if (!s) return 0;
    if (s->cancel && *s->cancel) return 1; /* stop synthesising: the person moved on */
    if (!wav || numsamples <= 0) return 0;
    if (s->n + (size_t)numsamples > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 65536;
        while (cap < s->n + (size_t)numsamples) cap *= 2;
        int16_t *np = realloc(s->pcm, cap * sizeof *np);
        if (!np) { s->failed = true; return 1; }
        s->pcm = np;
        s->cap = cap;
    }
    memcpy(s->pcm + s->n, wav, (size_t)numsamples * sizeof *wav);
    s->n += (size_t)numsamples;
    return 0;
}

static int espeak_rate = 0;
/* espeak-ng keeps one global state: the playback thread and a headless `speak` take turns. */
static pthread_mutex_t espeak_lock = PTHREAD_MUTEX_INITIALIZER;

static bool synth_locked(const char *lang, const char *text, int volume, int16_t **pcm, size_t *n, int *rate,
                         volatile int *cancel, char *msg, size_t msgsz);

static bool synth_cancellable(const char *lang, const char *text, int volume, int16_t **pcm, size_t *n, int *rate,
                              volatile int *cancel, char *msg, size_t msgsz)
{
    pthread_mutex_lock(&espeak_lock);
    bool ok = synth_locked(lang, text, volume, pcm, n, rate, cancel, msg, msgsz);
    pthread_mutex_unlock(&espeak_lock);
    return ok;
}

static bool synth_locked(const char *lang, const char *text, int volume, int16_t **pcm, size_t *n, int *rate,
                              volatile int *cancel, char *msg, size_t msgsz)
{
    *pcm = NULL;
    *n = 0;
    const char *voice = speech_voice(lang);
    if (!voice) {
        snprintf(msg, msgsz, "espeak-ng has no voice for '%s'", lang);
        return false;
    }
    if (!espeak_rate) {
        espeak_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0);
        if (espeak_rate <= 0) {
            espeak_rate = 0;
            snprintf(msg, msgsz, "espeak-ng could not start (is espeak-ng-data installed?)");
            return false;
        }
        espeak_SetSynthCallback(on_samples);
    }
    if (espeak_SetVoiceByName(voice) != EE_OK) {
        snprintf(msg, msgsz, "espeak-ng voice '%s' is not installed", voice);
        return false;
    }
    espeak_SetParameter(espeakRATE, 150, 0); /* a little slower than the default 175: easier to follow */
    sink_t s = { NULL, 0, 0, false, cancel };
    espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &s);
    if (e != EE_OK || s.failed) {
        free(s.pcm);
        snprintf(msg, msgsz, "espeak-ng failed to speak the text");
        return false;
    }
    if (volume < 0) volume = 0;
    if (volume > 100) volume = 100;
    for (size_t i = 0; i < s.n; i++) s.pcm[i] = (int16_t)(s.pcm[i] * volume / 100);
    *pcm = s.pcm;
    *n = s.n;
    *rate = espeak_rate;
    return true;
}

bool speech_synth(const char *lang, const char *text, int volume, int16_t **pcm, size_t *n, int *rate, char *msg,
                  size_t msgsz)
{
    return synth_cancellable(lang, text, volume, pcm, n, rate, NULL, msg, msgsz);
}

void speech_shutdown(void)
{
    pthread_mutex_lock(&espeak_lock);
    if (espeak_rate) espeak_Terminate();
    espeak_rate = 0;
    pthread_mutex_unlock(&espeak_lock);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

bool speech_write_wav(const char *path, const int16_t *pcm, size_t n, int rate)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    unsigned char h[44] = "RIFF....WAVEfmt ";
    put32(h + 4, (uint32_t)(36 + n * 2));
    put32(h + 16, 16);
    h[20] = 1; /* PCM */
    h[22] = 1; /* mono */
    put32(h + 24, (uint32_t)rate);
    put32(h + 28, (uint32_t)rate * 2);
    h[32] = 2;
    h[34] = 16;
    memcpy(h + 36, "data", 4);
    put32(h + 40, (uint32_t)(n * 2));
    bool ok = fwrite(h, 1, 44, f) == 44 && fwrite(pcm, 2, n, f) == n; /* little-endian hosts */
    return fclose(f) == 0 && ok;
}

/* ---- playback ------------------------------------------------------------------------------- */

struct speech_player {
    char assets[1024];
    char device[128]; /* "" = SDL's default output */
    SDL_mutex *lock; /* espeak-ng and the request below */
    SDL_Thread *worker;
    SDL_AudioDeviceID dev;
    int dev_rate;
    volatile int cancel;
    char lang[8];
    char *text;
    int volume;
};

static void queue(speech_player_t *p, const int16_t *pcm, size_t n, int rate)
{
    if (p->dev && p->dev_rate != rate) {
        SDL_CloseAudioDevice(p->dev);
        p->dev = 0;
    }
    if (!p->dev) {
        SDL_AudioSpec want = { 0 }, got;
        want.freq = rate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = 2048;
        p->dev = SDL_OpenAudioDevice(p->device[0] ? p->device : NULL, 0, &want, &got, 0);
        p->dev_rate = rate;
        if (!p->dev) {
            fprintf(stderr, "wijkloket: voorlezen: no audio device %s: %s\n", p->device[0] ? p->device : "(default)",
                    SDL_GetError());
            return;
        }
        SDL_PauseAudioDevice(p->dev, 0);
    }
    SDL_QueueAudio(p->dev, pcm, (Uint32)(n * sizeof *pcm));
}

/* Plays a recorded clip per line when there is one (Tigrinya), else synthesises the line. */
static int worker(void *arg)
{
    speech_player_t *p = arg;
    SDL_LockMutex(p->lock);
    char *text = p->text;
    p->text = NULL;
    char lang[8];
    snprintf(lang, sizeof lang, "%s", p->lang);
    int volume = p->volume;
    for (char *line = text; line && *line && !p->cancel;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char clip[1400];
        speech_clip_path(p->assets, lang, line, clip, sizeof clip);
        SDL_AudioSpec spec;
        Uint8 *buf = NULL;
        Uint32 len = 0;
        if (SDL_LoadWAV(clip, &spec, &buf, &len) && spec.format == AUDIO_S16SYS && spec.channels == 1) {
            queue(p, (const int16_t *)buf, len / 2, spec.freq);
            SDL_FreeWAV(buf);
        } else {
            if (buf) SDL_FreeWAV(buf);
            int16_t *pcm;
            size_t n;
            int rate;
            char msg[200];
            if (synth_cancellable(lang, line, volume, &pcm, &n, &rate, &p->cancel, msg, sizeof msg)) {
                if (!p->cancel) queue(p, pcm, n, rate);
                free(pcm);
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    SDL_UnlockMutex(p->lock);
    return 0;
}

speech_player_t *speech_player_new(const char *assets, const char *device)
{
    speech_player_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    snprintf(p->assets, sizeof p->assets, "%s", assets);
    snprintf(p->device, sizeof p->device, "%s", device ? device : "");
    p->lock = SDL_CreateMutex();
    if (!SDL_WasInit(SDL_INIT_AUDIO)) SDL_InitSubSystem(SDL_INIT_AUDIO);
    return p;
}

void speech_player_stop(speech_player_t *p)
{
    if (!p) return;
    p->cancel = 1;
    if (p->worker) {
        SDL_WaitThread(p->worker, NULL); /* returns quickly: the callback aborts synthesis */
        p->worker = NULL;
    }
    if (p->dev) SDL_ClearQueuedAudio(p->dev);
    p->cancel = 0;
}

void speech_player_say(speech_player_t *p, const char *lang, const char *text, int volume)
{
    if (!p) return;
    speech_player_stop(p);
    snprintf(p->lang, sizeof p->lang, "%s", lang);
    p->text = strdup(text);
    p->volume = volume;
    p->worker = SDL_CreateThread(worker, "voorlezen", p);
}

bool speech_player_busy(speech_player_t *p)
{
    return p && p->dev && SDL_GetQueuedAudioSize(p->dev) > 0;
}

void speech_player_free(speech_player_t *p)
{
    if (!p) return;
    speech_player_stop(p);
    if (p->dev) SDL_CloseAudioDevice(p->dev);
    SDL_DestroyMutex(p->lock);
    free(p->text);
    free(p);
}
