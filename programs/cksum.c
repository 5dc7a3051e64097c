// cksum: prints the POSIX checksum (CRC-32, polynomial 0x04C11DB7, over the
// data followed by its length) and the size in bytes of each file.
// usage: cksum [file...]     no file means standard input; "-" also does
// Output is "CRC SIZE" for standard input, "CRC SIZE NAME" per named file.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static uint32_t table[256];

// table[i] is the CRC of the byte i, processed most significant bit first.
static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i << 24;
        for (int k = 0; k < 8; k++)
            c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
        table[i] = c;
    }
}

static uint32_t crc_byte(uint32_t crc, unsigned char b)
{
    return (crc << 8) ^ table[(crc >> 24) ^ b];
}

static int sum(int fd, uint32_t *crc_out, unsigned long long *len_out)
{
    unsigned char buf[4096];
    uint32_t crc = 0;
    unsigned long long len = 0;

    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (ssize_t i = 0; i < n; i++)
            crc = crc_byte(crc, buf[i]);
        len += (unsigned long long)n;
    }
    // The length, least significant byte first, only as many bytes as needed.
    for (unsigned long long l = len; l != 0; l >>= 8)
        crc = crc_byte(crc, (unsigned char)l);
    *crc_out = ~crc;
    *len_out = len;
    return 0;
}

int main(int argc, char **argv)
{
    int status = 0;
    int nfiles = argc > 1 ? argc - 1 : 1;

    make_table();
    for (int i = 0; i < nfiles; i++) {
        const char *name = argc > 1 ? argv[i + 1] : NULL;
        uint32_t crc;
        unsigned long long len;
        int fd = 0;

        if (name && strcmp(name, "-") != 0 && (fd = open(name, O_RDONLY)) < 0) {
            fprintf(stderr, "cksum: %s: %s\n", name, strerror(errno));
            status = 1;
            continue;
        }
        int r = sum(fd, &crc, &len);
        int err = errno;
        if (fd != 0)
            close(fd);
        if (r < 0) {
            fprintf(stderr, "cksum: %s: %s\n", name ? name : "standard input", strerror(err));
            status = 1;
            continue;
        }
        if (name)
            printf("%lu %llu %s\n", (unsigned long)crc, len, name);
        else
            printf("%lu %llu\n", (unsigned long)crc, len);
    }
    return status;
}
