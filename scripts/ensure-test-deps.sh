#!/usr/bin/env bash
# Run by `npm test` (pretest). The front-proxy tests check generated configs with a real `nginx -t`. When nginx is
# missing and this runs as root with apt-get (a fresh container, CI), it installs Debian's nginx-light, saying what
# and why before it does (the README's set-up section says so too); HAKO_NO_INSTALL=1 skips that. Otherwise it
# prints the command to run: under CI=true the nginx tests then fail loudly, elsewhere they report themselves as
# skipped. Nothing else is installed.
set -u
sbin="${HAKO_SBIN:-/usr/sbin}" # where Debian puts nginx, outside a normal user's PATH (tests point it elsewhere)
if command -v nginx >/dev/null 2>&1 || [ -x "$sbin/nginx" ]; then exit 0; fi
why="the nginx -t checks of generated front-proxy configs (test/unit/scripts/nginx-front) need nginx"
if [ "${HAKO_NO_INSTALL:-}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: nginx is missing; $why." >&2
  echo "pretest: installing it as root: apt-get update && apt-get install -y nginx-light (HAKO_NO_INSTALL=1 skips this)" >&2
  if apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >&2; then
    echo "pretest: installed $(command -v nginx || echo "$sbin/nginx") ($(dpkg-query -W -f='${Package} ${Version}' nginx-light 2>/dev/null))" >&2
  elif DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >&2; then
    echo "pretest: nginx-light is not available; installed nginx instead" >&2
  else
    echo "pretest: could not install nginx; the nginx -t tests will not pass" >&2
  fi
else
  echo "pretest: nginx is not installed; $why. Install it yourself (e.g. apt-get install nginx-light)." >&2
fi
exit 0
