// fs: the file system server. Until the disk driver exists it serves the
// boot file set (read-only) with files created at run time kept in RAM.
// The protocol is stateless (fs_proto.h): requests name inodes and offsets.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "os.h"
#include "server.h"
#include "services.h"
#include "core/bootfs.h"
#include "memfs.h"

#define H_MY_ENDPOINT 5

static uint8_t io_buf[FS_IO_MAX];

// The request payload as a NUL-terminated path, or NULL.
static const char *req_path(struct request *rq)
{
    const char *p = rq->data;
    if (rq->len < 2 || rq->len > FS_PATH_MAX || p[rq->len - 1] || p[0] != '/')
        return NULL;
    return p;
}

static void clock_update(void) { memfs_set_time(sys_time() / 1000000000); }

static int op_lookup(struct request *rq)
{
    const char *path = req_path(rq);
    long ino = path ? memfs_lookup(path) : -EINVAL;
    struct fs_stat st;
    if (ino > 0 && memfs_stat((uint64_t)ino, &st) == 0) {
        rq->r1 = st.type;
        rq->r2 = st.size;
    }
    rq->r0 = (uint64_t)ino;
    return 0;
}

static int op_read(struct request *rq)
{
    uint64_t len = rq->w2 > sizeof(io_buf) ? sizeof(io_buf) : rq->w2;
    long n = memfs_read(rq->w0, rq->w1, io_buf, len);
    rq->r0 = (uint64_t)n;
    if (n > 0) {
        rq->reply_data = io_buf;
        rq->reply_len = (uint64_t)n;
    }
    return 0;
}

static int op_write(struct request *rq)
{
    clock_update();
    rq->r0 = (uint64_t)memfs_write(rq->w0, rq->w1, rq->data, rq->len);
    return 0;
}

static int op_create(struct request *rq)
{
    const char *path = req_path(rq);
    clock_update();
    rq->r0 = (uint64_t)(path ? memfs_create(path, FS_TYPE_FILE, (rq->w0 & 0x0800) != 0) : -EINVAL);
    return 0;
}

static int op_mkdir(struct request *rq)
{
    const char *path = req_path(rq);
    clock_update();
    long e = path ? memfs_create(path, FS_TYPE_DIR, 1) : -EINVAL;
    rq->r0 = (uint64_t)(e < 0 ? e : 0);
    return 0;
}

static int op_truncate(struct request *rq)
{
    clock_update();
    rq->r0 = (uint64_t)memfs_truncate(rq->w0, rq->w1);
    return 0;
}

static int op_stat(struct request *rq)
{
    static struct fs_stat st;
    long e = memfs_stat(rq->w0, &st);
    rq->r0 = (uint64_t)e;
    if (!e) {
        rq->reply_data = &st;
        rq->reply_len = sizeof(st);
    }
    return 0;
}

static int op_readdir(struct request *rq)
{
    static struct fs_dirent de;
    uint64_t next = 0;
    long e = memfs_readdir(rq->w0, rq->w1, &de, &next);
    rq->r0 = (uint64_t)e;
    rq->r1 = next;
    if (e == 1) {
        rq->reply_data = &de;
        rq->reply_len = sizeof(de);
    }
    return 0;
}

static int op_unlink(struct request *rq)
{
    const char *path = req_path(rq);
    rq->r0 = (uint64_t)(path ? memfs_unlink(path) : -EINVAL);
    return 0;
}

static const server_op ops[FS_OPS] = {
    [FS_LOOKUP] = op_lookup, [FS_READ] = op_read, [FS_WRITE] = op_write,
    [FS_CREATE] = op_create, [FS_TRUNCATE] = op_truncate, [FS_STAT] = op_stat,
    [FS_READDIR] = op_readdir, [FS_UNLINK] = op_unlink, [FS_MKDIR] = op_mkdir,
};

// argv[1]: size of the boot file set init copied to BOOTFS_VADDR.
int main(int argc, char **argv)
{
    const void *img = (const void *)BOOTFS_VADDR;
    uint64_t len = argc > 1 ? strtoull(argv[1], NULL, 10) : 0;
    int n = bootfs_check(img, len);
    memfs_init();
    for (int i = 0; i < n; i++) {
        const struct bootfs_entry *e = bootfs_entry(img, len, i);
        if (memfs_add_boot_file(e->name, (const uint8_t *)img + e->offset, e->size))
            printf("fs: cannot add %s\n", e->name);
    }
    printf("fs: ready, %d boot files\n", n < 0 ? 0 : n);
    struct server s = { H_MY_ENDPOINT, ops, FS_OPS, -1, NULL };
    server_run(&s);
}
