// Intrusive circular doubly linked list.
#ifndef LIST_H
#define LIST_H
#include "types.h"

struct list { struct list *next, *prev; };

static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline bool list_empty(const struct list *l) { return l->next == l; }

static inline void list_add_tail(struct list *l, struct list *n)
{
    n->prev = l->prev;
    n->next = l;
    l->prev->next = n;
    l->prev = n;
}

static inline void list_remove(struct list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static inline struct list *list_pop(struct list *l)
{
    struct list *n = l->next;
    if (n == l)
        return NULL;
    list_remove(n);
    return n;
}

#endif
