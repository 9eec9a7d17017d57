#!/usr/bin/env bash
# Run by `npm test` (pretest). The front-proxy tests check generated configs with a real `nginx -t`; install
# Debian's nginx when it is missing and we can (root with apt-get). Otherwise say so: under CI=true those tests
# then fail loudly, elsewhere they report themselves as skipped.
set -u
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: installing nginx for the nginx -t checks" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null) ||
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null) ||
    echo "pretest: could not install nginx; the nginx -t tests will not pass" >&2
else
  echo "pretest: nginx is not installed (apt-get install nginx-light); the nginx -t tests need it" >&2
fi
exit 0
