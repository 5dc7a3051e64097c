// Host tests for kernel/core/bootfs.c. Images are laid out like
// tools/mkbootfs.py writes them: a 16-byte header, 64-byte entries, then
// page-aligned file data.
#include "core/bootfs.c"
#include "check.h"

#define CAP (300 * 1024)
static uint64_t store[CAP / 8];
static uint8_t *const img = (uint8_t *)store;

struct file { const char *name; const char *data; uint64_t len; };

static void put(uint64_t off, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        img[off + i] = (uint8_t)(v >> (8 * i));
}

#define ENTRY(i) (16 + 64 * (uint64_t)(i))        // offset of entry i
#define E_OFFSET 48
#define E_SIZE 56

// Same layout as mkbootfs.py; returns the image size.
static uint64_t mkbootfs(const struct file *f, int n)
{
    memset(store, 0, sizeof store);
    memcpy(img, "BOOTFS01", 8);
    put(8, (uint64_t)n, 4);
    put(12, 0, 4);
    uint64_t off = (16 + 64 * (uint64_t)n + 4095) & ~4095ull;
    for (int i = 0; i < n; i++) {
        strncpy((char *)img + ENTRY(i), f[i].name, 48);
        put(ENTRY(i) + E_OFFSET, off, 8);
        put(ENTRY(i) + E_SIZE, f[i].len, 8);
        memcpy(img + off, f[i].data, f[i].len);
        off = (off + f[i].len + 4095) & ~4095ull;
    }
    return off;
}

static const char name47[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJK";   // 47 chars

static uint64_t std_image(void)
{
    static const struct file f[] = {
        { "init", "\x7f" "ELF init image", 15 },
        { "hello.txt", "hello, world\n", 13 },
        { "empty", "", 0 },
        { name47, "long", 4 },
        { "dir/file", "x", 1 },
    };
    return mkbootfs(f, 5);
}

TEST(check_and_entries)
{
    uint64_t size = std_image();
    CHECK_EQ(size, 5 * 4096);                       // header page + 4 data pages (empty takes none)
    CHECK_EQ(bootfs_check(img, size), 5);
    const struct bootfs_entry *e = bootfs_entry(img, size, 0);
    CHECK(e == (const void *)(img + 16));
    if (e) {
        CHECK_STR(e->name, "init");
        CHECK_EQ(e->offset, 4096);
        CHECK_EQ(e->size, 15);
    }
    e = bootfs_entry(img, size, 4);
    CHECK(e != NULL);
    if (e) {
        CHECK_STR(e->name, "dir/file");
        CHECK_EQ(e->offset, 4 * 4096);
    }
    CHECK(bootfs_entry(img, size, 5) == NULL);
    CHECK(bootfs_entry(img, size, -1) == NULL);
    CHECK(bootfs_entry(img, size, 1 << 30) == NULL);
}

TEST(find_existing)
{
    uint64_t size = std_image();
    const void *data = NULL;
    uint64_t len = 99;
    CHECK_EQ(bootfs_find(img, size, "init", &data, &len), 0);
    CHECK(data == img + 4096);
    CHECK_EQ(len, 15);
    CHECK(data && memcmp(data, "\x7f" "ELF init image", 15) == 0);
    CHECK_EQ(bootfs_find(img, size, "hello.txt", &data, &len), 0);
    CHECK(data == img + 2 * 4096);
    CHECK_EQ(len, 13);
    CHECK(data && memcmp(data, "hello, world\n", 13) == 0);
    CHECK_EQ(bootfs_find(img, size, "empty", &data, &len), 0);
    CHECK_EQ(len, 0);
    CHECK_EQ(bootfs_find(img, size, name47, &data, &len), 0);   // longest name
    CHECK_EQ(len, 4);
    CHECK(data && memcmp(data, "long", 4) == 0);
    CHECK_EQ(bootfs_find(img, size, "dir/file", &data, &len), 0);
    CHECK(data && *(const char *)data == 'x');
}

TEST(find_missing)
{
    uint64_t size = std_image();
    const void *data = (const void *)0x1234;
    uint64_t len = 77;
    CHECK_EQ(bootfs_find(img, size, "nope", &data, &len), -E_NOENT);
    CHECK_EQ(bootfs_find(img, size, "", &data, &len), -E_NOENT);
    CHECK_EQ(bootfs_find(img, size, "ini", &data, &len), -E_NOENT);        // prefix
    CHECK_EQ(bootfs_find(img, size, "init2", &data, &len), -E_NOENT);      // longer
    CHECK_EQ(bootfs_find(img, size, "INIT", &data, &len), -E_NOENT);
    CHECK_EQ(bootfs_find(img, size, "file", &data, &len), -E_NOENT);
    char longer[64];
    snprintf(longer, sizeof longer, "%sL", name47);                        // 48 chars
    CHECK_EQ(bootfs_find(img, size, longer, &data, &len), -E_NOENT);
    CHECK(data == (const void *)0x1234);                                   // untouched
    CHECK_EQ(len, 77);
}

TEST(empty_and_duplicate)
{
    uint64_t size = mkbootfs(NULL, 0);
    CHECK_EQ(size, 4096);
    CHECK_EQ(bootfs_check(img, size), 0);
    CHECK_EQ(bootfs_check(img, 16), 0);                 // a bare header is valid
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, 16, "init", &data, &len), -E_NOENT);
    CHECK(bootfs_entry(img, 16, 0) == NULL);
    // mkbootfs.py refuses duplicates; the reader takes the first.
    static const struct file f[] = { { "a", "1", 1 }, { "a", "22", 2 } };
    size = mkbootfs(f, 2);
    CHECK_EQ(bootfs_find(img, size, "a", &data, &len), 0);
    CHECK_EQ(len, 1);
}

TEST(reject_bad_magic)
{
    uint64_t size = std_image();
    for (int i = 0; i < 8; i++) {
        img[i] ^= 0x20;
        CHECK_EQ(bootfs_check(img, size), -E_INVAL);
        img[i] ^= 0x20;
    }
    memcpy(img, "BOOTFS02", 8);
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, size, "init", &data, &len), -E_NOENT);
    CHECK(bootfs_entry(img, size, 0) == NULL);
    memcpy(img, "BOOTFS01", 8);
    CHECK_EQ(bootfs_check(img, size), 5);
    CHECK_EQ(bootfs_check(img, 15), -E_INVAL);          // shorter than the header
    CHECK_EQ(bootfs_check(img, 0), -E_INVAL);
    CHECK_EQ(bootfs_check(NULL, size), -E_INVAL);
}

TEST(reject_count_too_large)
{
    uint64_t size = std_image();
    put(8, 6, 4);                                        // one entry more than there is
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);       // (its name is zero bytes)
    put(8, 5, 4);
    CHECK_EQ(bootfs_check(img, 16 + 5 * 64 - 1), -E_INVAL);   // table cut short
    CHECK_EQ(bootfs_check(img, 16 + 5 * 64), -E_INVAL);       // table fits, data does not
    // 4097 well-formed entries that all fit: still too many.
    memset(store, 0, sizeof store);
    memcpy(img, "BOOTFS01", 8);
    for (int i = 0; i < 4097; i++)
        img[ENTRY(i)] = 'f';                            // offset 0, size 0
    size = ENTRY(4097);
    CHECK(size <= CAP);
    put(8, 4096, 4);
    CHECK_EQ(bootfs_check(img, size), 4096);           // the limit itself is fine
    put(8, 4097, 4);
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    put(8, 0xffffffff, 4);
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    put(8, 0x04000001, 4);                              // count * 64 wraps in 32 bits
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    // Two valid-looking entries (empty files at offset 0) whose table ends
    // one byte after the image: refused even though each entry is in bounds.
    memset(store, 0, sizeof store);
    memcpy(img, "BOOTFS01", 8);
    put(8, 2, 4);
    img[ENTRY(0)] = 'a';
    img[ENTRY(1)] = 'b';
    CHECK_EQ(bootfs_check(img, ENTRY(2)), 2);
    CHECK_EQ(bootfs_check(img, ENTRY(2) - 1), -E_INVAL);
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, ENTRY(2) - 1, "a", &data, &len), -E_NOENT);
}

TEST(reject_entry_out_of_bounds)
{
    uint64_t size = std_image();
    put(ENTRY(1) + E_OFFSET, size + 1, 8);              // starts past the end
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, size, "init", &data, &len), -E_NOENT);   // whole image refused

    size = std_image();
    put(ENTRY(4) + E_SIZE, 4097, 8);                    // last file ends one byte late
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    put(ENTRY(4) + E_SIZE, 4096, 8);                    // ends exactly at the end
    CHECK_EQ(bootfs_check(img, size), 5);

    size = std_image();
    put(ENTRY(0) + E_SIZE, ~0ull, 8);                   // offset + size wraps
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    put(ENTRY(0) + E_SIZE, 0ull - 4096, 8);             // wraps to exactly 0
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    size = std_image();
    put(ENTRY(0) + E_OFFSET, ~0ull, 8);
    put(ENTRY(0) + E_SIZE, 1, 8);
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);

    size = std_image();
    put(ENTRY(2) + E_OFFSET, size, 8);                  // empty file at the very end: fine
    CHECK_EQ(bootfs_check(img, size), 5);
    CHECK_EQ(bootfs_check(img, size - 1), -E_INVAL);    // the same image, truncated
}

TEST(reject_unterminated_name)
{
    uint64_t size = std_image();
    memset(img + ENTRY(3), 'n', 48);                    // no NUL anywhere
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    img[ENTRY(3) + 47] = 0;                              // 47 chars + NUL: fine
    CHECK_EQ(bootfs_check(img, size), 5);
    img[ENTRY(3) + 47] = 'n';
    img[ENTRY(3) + 10] = 0;                              // NUL inside but not at the end
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, size, "nnnnnnnnnn", &data, &len), -E_NOENT);
}

TEST(reject_empty_name)
{
    uint64_t size = std_image();
    img[ENTRY(1)] = 0;                                   // "\0ello.txt"
    CHECK_EQ(bootfs_check(img, size), -E_INVAL);
    const void *data;
    uint64_t len;
    CHECK_EQ(bootfs_find(img, size, "", &data, &len), -E_NOENT);
    CHECK_EQ(bootfs_find(img, size, "init", &data, &len), -E_NOENT);
}
