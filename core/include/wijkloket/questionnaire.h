/* The questionnaire definition: sections and questions loaded and validated from JSON. */
#ifndef WL_QUESTIONNAIRE_H
#define WL_QUESTIONNAIRE_H

#include <jansson.h>
#include "wijkloket/dates.h"
#include "wijkloket/common.h"

typedef enum {
    WL_Q_SINGLE,    /* one option; answer is the option's value string */
    WL_Q_MULTIPLE,  /* zero or more options; answer is an array of value strings */
    WL_Q_YESNO,     /* answer is JSON true or false */
    WL_Q_NUMBER,    /* answer is a JSON number within [min, max]; integer when `integer` */
    WL_Q_DATE,      /* answer is "YYYY-MM-DD", a real calendar date */
    WL_Q_TEXT       /* answer is a string of at most max_length characters, see format */
} wl_qtype_t;

typedef enum {
    WL_TEXT_PLAIN,
    WL_TEXT_BSN,    /* 9 digits passing the elfproef */
    WL_TEXT_PHONE,  /* Dutch phone number: 10 digits starting 0, or +31... */
    WL_TEXT_EMAIL
} wl_text_format_t;

typedef struct {
    char *value;   /* stable value stored in answers and used in rules */
    char *text;    /* Dutch B1 label */
    bool exclusive;/* for multiple choice: choosing it clears the others ("Geen van deze") */
    char *pictogram; /* optional name in assets/pictograms.json, may be NULL */
    int line;      /* line of the option in the source file, for messages */
} wl_option_t;

typedef struct {
    json_t *rule;     /* JsonLogic; true means valid */
    char *message;    /* Dutch B1 message shown when the rule is false */
} wl_validation_t;

typedef struct {
    char *id;
    char *section_id;
    wl_qtype_t type;
    char *text;        /* Dutch B1 question */
    char *help;        /* optional, may be NULL */
    char *pictogram;   /* optional name in assets/pictograms.json, may be NULL */
    int pictogram_line;/* line of the "pictogram" field, for messages */
    char *unit;        /* for numbers, may be NULL ("uur per week", "euro per maand") */
    double min, max;   /* for numbers */
    bool integer;      /* for numbers */
    size_t max_length; /* for text; default 200 */
    wl_text_format_t format;
    bool personal;     /* identification data, stored apart from the other answers */
    wl_option_t *options;
    size_t n_options;
    json_t *relevant;  /* JsonLogic or NULL (always relevant) */
    json_t *required;  /* JsonLogic (true/false literal allowed) or NULL (not required) */
    wl_validation_t *validations;
    size_t n_validations;
    int line;          /* line in the source file, for messages */
    /* Yes/no questions of one topic asked together on one screen ("group" in the file): the
     * members follow each other in one section, each keeps its own id, answer and rules, and
     * none decides whether another member is asked, so the screen never changes while it is
     * answered. group is NULL for a question on its own; group_first/group_count give the run
     * of questions[] it belongs to (itself and 1 when alone). */
    char *group;
    size_t group_first, group_count;
} wl_question_t;

typedef struct {
    char *id;
    char *title;       /* Dutch B1 */
    char *intro;       /* optional */
    bool personal;
    size_t first, count; /* range of questions[] in this section */
} wl_section_t;

typedef struct {
    char *id;
    char *version;
    char *path;        /* file it came from */
    wl_section_t *sections;
    size_t n_sections;
    wl_question_t *questions; /* all questions in order */
    size_t n_questions;
} wl_questionnaire_t;

/* Loads and fully validates a questionnaire file: JSON syntax (file:line:column), unknown
 * keys, duplicate ids, missing Dutch text, option values, types, and that every var in
 * relevant/required/validations names a known question. On success *out is owned by the
 * caller (wl_questionnaire_free). On failure returns non-OK and err names file, line, field. */
wl_rc wl_questionnaire_load(const char *path, wl_questionnaire_t **out, wl_err_t *err);
void wl_questionnaire_free(wl_questionnaire_t *q);

/* Returns the question with this id, or NULL. Index is returned through idx when not NULL. */
const wl_question_t *wl_questionnaire_find(const wl_questionnaire_t *q, const char *id, size_t *idx);
/* Returns the option with this value, or NULL. */
const wl_option_t *wl_question_option(const wl_question_t *qq, const char *value);

/* True when s is a 9-digit BSN that passes the elfproef (weights 9..2 and -1, sum % 11 == 0,
 * and not all zeros). */
bool wl_bsn_valid(const char *s);


#endif
