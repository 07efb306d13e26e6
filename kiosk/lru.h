/* An intrusive least-recently-used list: the line cache (text.c) and the glyph cache (glyphs.c)
 * keep their entries in one, its node the entry's first member. */
#ifndef WLK_LRU_H
#define WLK_LRU_H

#include <stddef.h>

typedef struct lru_node {
    struct lru_node *prev, *next;
} lru_node_t;

/* head: the most recently used; tail: the next to go. */
typedef struct {
    lru_node_t *head, *tail;
} lru_list_t;

static inline void lru_unlink(lru_list_t *l, lru_node_t *n)
{
    if (n->prev) n->prev->next = n->next; else l->head = n->next;
    if (n->next) n->next->prev = n->prev; else l->tail = n->prev;
    n->prev = n->next = NULL;
}

static inline void lru_push_front(lru_list_t *l, lru_node_t *n)
{
    n->next = l->head;
    n->prev = NULL;
    if (l->head) l->head->prev = n;
    l->head = n;
    if (!l->tail) l->tail = n;
}

/* Marks n as just used. */
static inline void lru_touch(lru_list_t *l, lru_node_t *n)
{
    lru_unlink(l, n);
    lru_push_front(l, n);
}

#endif
