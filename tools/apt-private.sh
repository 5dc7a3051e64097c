# Sourced by tools/fetch-lwip.sh and tools/fetch-linux.sh: a private apt
# configuration under $APT with one line, "$1 $MIRROR $SUITE main" ($1:
# deb or deb-src), and APT_OPTS naming only it: nothing of the machine's
# /etc/apt sources or lists is read or changed. Needs APT, OUT, MIRROR
# and SUITE set.
private_apt() {
    mkdir -p "$APT/lists/partial" "$APT/sources.list.d" "$APT/cache/archives/partial" \
             "$APT/preferences.d" "$OUT/dl"
    # Debian's archive key, when the keyring is where Debian 12 puts it;
    # otherwise apt's own trusted keys decide.
    KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
    SIGNED=""
    [ -f "$KEYRING" ] && SIGNED="[signed-by=$KEYRING] "
    echo "$1 $SIGNED$MIRROR $SUITE main" > "$APT/sources.list"
    APT_OPTS="-o Dir::Etc::SourceList=$APT/sources.list
 -o Dir::Etc::SourceParts=$APT/sources.list.d
 -o Dir::State::Lists=$APT/lists
 -o Dir::Cache=$APT/cache
 -o Dir::Etc::Preferences=$APT/preferences
 -o Dir::Etc::PreferencesParts=$APT/preferences.d
 -o APT::Architecture=amd64
 -o APT::Sandbox::User=root
 -o Debug::NoLocking=1"
}
