#!/bin/sh
# Install or remove Borderpost as an appliance: system users, a venv under
# /opt/borderpost, configuration under /etc/borderpost, systemd units, udev rules.
#   install.sh install     (DESTDIR=/some/root to stage into another root; ROLE=post|hq;
#                           WHEELHOUSE=/path/to/wheelhouse to install with no network)
#   install.sh uninstall   (PURGE=1 also removes data, configuration and users)
#   install.sh units       (the units install enables for ROLE)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
root=${DESTDIR:-}
python=${PYTHON:-python3}
prefix="$root/opt/borderpost"
etc="$root/etc/borderpost"
units="$root/etc/systemd/system"
rules="$root/etc/udev/rules.d"
journald="$root/etc/systemd/journald.conf.d"
live() { [ -z "$root" ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; }

# WHEELHOUSE (from `make wheelhouse`): install offline, every file checked against the hashes
# of requirements-$ROLE.lock (post: with evdev, built here from its source; hq: with psycopg).
# Without it: from PyPI, pinned by requirements.lock.
install_python_packages() {
    role=${ROLE:-post}
    if [ -n "${WHEELHOUSE:-}" ]; then
        set -- "$1" -m pip install -q --disable-pip-version-check --no-index --find-links "$WHEELHOUSE"
        "$@" --require-hashes -r "$WHEELHOUSE/requirements-build.lock"
        "$@" --require-hashes --no-build-isolation -r "$WHEELHOUSE/requirements-$role.lock"
        "$@" --no-deps "$WHEELHOUSE"/borderpost-*.whl
    else
        extra=hid
        [ "$role" = hq ] && extra=hq
        "$1" -m pip install -q --disable-pip-version-check -c "$repo/requirements.lock" "$repo[$extra]"
    fi
}

# The units a role runs: a post its daemon and console, HQ its receiver.
role_units() {
    if [ "${ROLE:-post}" = hq ]; then echo borderpost-hq.service
    else echo borderpost.service borderpost-console.service; fi
}

do_install() {
    if [ -z "$root" ]; then
        getent group borderpost >/dev/null || groupadd --system borderpost
        getent passwd borderpost >/dev/null || useradd --system --gid borderpost \
            --groups dialout,video,input --home-dir /var/lib/borderpost --shell /usr/sbin/nologin borderpost
        getent passwd borderpost-console >/dev/null || useradd --system --gid borderpost \
            --home-dir /nonexistent --shell /usr/sbin/nologin borderpost-console
    fi
    mkdir -p "$prefix/share" "$etc" "$units" "$rules"
    [ -x "$prefix/venv/bin/python" ] || "$python" -m venv "$prefix/venv"
    install_python_packages "$prefix/venv/bin/python"
    cp "$repo/README.md" "$prefix/share/README.md"
    cp -r "$repo/docs" "$prefix/share/"
    if [ ! -e "$etc/borderpost.toml" ]; then
        install -m 0640 "$here/borderpost.toml.example" "$etc/borderpost.toml"
    fi
    for unit in borderpost.service borderpost-hq.service borderpost-console.service; do
        install -m 0644 "$here/$unit" "$units/$unit"
    done
    install -m 0644 "$here/60-borderpost.rules" "$rules/60-borderpost.rules"
    if [ "${ROLE:-post}" = post ]; then
        mkdir -p "$journald"
        install -m 0644 "$here/journald-borderpost.conf" "$journald/borderpost.conf"
    fi
    if [ -z "$root" ]; then
        chgrp borderpost "$etc/borderpost.toml"
    fi
    if live; then
        systemctl daemon-reload
        systemctl enable $(role_units)
        udevadm control --reload 2>/dev/null || true
        systemctl restart systemd-journald 2>/dev/null || true  # reads journald.conf.d
    fi
    if [ "${ROLE:-post}" = hq ]; then
        echo "installed into ${root:-/}: set the broker in /etc/borderpost/hq.env, then: systemctl start borderpost-hq"
    else
        echo "installed into ${root:-/}: edit /etc/borderpost/borderpost.toml, then: systemctl start borderpost"
    fi
}

do_uninstall() {
    if live; then
        systemctl disable --now borderpost-console.service borderpost.service borderpost-hq.service 2>/dev/null || true
    fi
    rm -f "$units/borderpost.service" "$units/borderpost-hq.service" "$units/borderpost-console.service"
    rm -f "$rules/60-borderpost.rules" "$journald/borderpost.conf"
    rm -rf "$prefix"
    if [ "${PURGE:-0}" = 1 ]; then
        rm -rf "$etc" "$root/var/lib/borderpost" "$root/var/lib/borderpost-hq"
        if [ -z "$root" ]; then
            userdel borderpost-console 2>/dev/null || true
            userdel borderpost 2>/dev/null || true
            groupdel borderpost 2>/dev/null || true
        fi
        echo "removed Borderpost, its configuration and its data"
    else
        echo "removed Borderpost; kept /etc/borderpost and /var/lib/borderpost (PURGE=1 removes them)"
    fi
    if live; then systemctl daemon-reload; fi
}

case "${1:-}" in
    install) do_install ;;
    uninstall) do_uninstall ;;
    units) role_units ;;
    *) echo "usage: $0 install|uninstall|units" >&2; exit 2 ;;
esac
