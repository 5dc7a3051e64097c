// Users: this system has one, root (uid 0, gid 0), whose home is $HOME or
// "/". getpwnam/getpwuid describe it and find no one else; newlib's glob
// calls them for "~" and "~name".
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct passwd root_entry;

// The one entry, with the home folder as it is now.
static struct passwd *root_user(void)
{
    const char *home = getenv("HOME");
    root_entry = (struct passwd){
        .pw_name = "root", .pw_passwd = "", .pw_uid = 0, .pw_gid = 0,
        .pw_gecos = "root", .pw_dir = (char *)(home && *home ? home : "/"),
        .pw_shell = "/boot/bin/sh",
    };
    return &root_entry;
}

struct passwd *getpwnam(const char *name)
{
    return name && strcmp(name, "root") == 0 ? root_user() : NULL;
}

struct passwd *getpwuid(uid_t uid)
{
    return uid == 0 ? root_user() : NULL;
}

char *getlogin(void) { return "root"; }
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }
int issetugid(void) { return 0; }
