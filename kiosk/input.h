/* Input events as the UI sees them: what the platform layer (or a script) turns taps and keys into. */
#ifndef WLK_INPUT_H
#define WLK_INPUT_H

typedef enum { UI_EV_TICK, UI_EV_DOWN, UI_EV_UP, UI_EV_TEXT, UI_EV_KEY, UI_EV_QUIT } ui_evtype_t;
typedef enum { UI_KEY_RETURN = 1, UI_KEY_BACKSPACE, UI_KEY_ESCAPE, UI_KEY_ALT_F4 } ui_key_t;

typedef struct {
    ui_evtype_t type;
    int x, y;          /* DOWN/UP: pixel position */
    int key;           /* KEY: ui_key_t */
    char text[32];     /* TEXT: UTF-8 typed text */
} ui_event_t;

#endif
