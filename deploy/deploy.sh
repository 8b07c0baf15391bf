#!/usr/bin/env bash
# Incremental, atomic deploy of the built site to the body's own nginx server.
#
#   deploy/deploy.sh site /var/www/vanban                 # on the server itself
#   deploy/deploy.sh site deploy@may-chu:/var/www/vanban  # from CI or a staff machine, over ssh
#
# Layout on the server (deploy/nginx.conf serves /var/www/vanban/site):
#   /var/www/vanban/releases/<time>/   one folder per deploy
#   /var/www/vanban/site -> releases/<time>   a symlink, switched in one rename
#
# rsync copies only what changed: every unchanged file of the new release is a hard link to the
# same file of the release before (--link-dest), so a deploy costs the changed files, on the wire
# and on disk. The symlink is switched with one rename (mv -T), so nginx serves either the old
# site or the new one, never half of each; requests already running finish on the old files.
# The newest KEEP releases stay (rolling back = pointing the symlink at an older one).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "Cách dùng: deploy/deploy.sh <thư mục trang đã dựng> <thư mục trên máy chủ | người_dùng@máy:thư_mục>" >&2
  exit 2
fi
site=${1%/}
dest=${2%/}
keep=${KEEP:-3}
if [ ! -f "$site/index.html" ]; then
  echo "lỗi: $site không phải trang đã dựng (thiếu index.html) — chạy 'vanban build' trước" >&2
  exit 1
fi

case "$dest" in
  *:*) host=${dest%%:*}; root=${dest#*:} ;;
  *) host=""; root=$dest ;;
esac
on_server() {  # run a shell snippet where the site is served
  if [ -n "$host" ]; then ssh "$host" "bash -euo pipefail -c $(printf '%q' "$1")"; else bash -euo pipefail -c "$1"; fi
}
quoted_root=$(printf '%q' "$root")

release=$(date -u +%Y%m%dT%H%M%S.%NZ)  # sorts in deploy order (pruning keeps the newest)
previous=$(on_server "cd $quoted_root 2>/dev/null && if [ -L site ]; then readlink site; elif [ -e site ]; then echo NOT-A-LINK; fi" || true)
if [ "$previous" = NOT-A-LINK ]; then
  echo "lỗi: $root/site là thư mục, không phải liên kết — chuyển nó một lần: mkdir -p $root/releases && mv $root/site $root/releases/cu && ln -s releases/cu $root/site" >&2
  exit 1
fi
on_server "mkdir -p $quoted_root/releases"

link_dest=()
if [ -n "$previous" ]; then
  link_dest=(--link-dest="$root/$previous/")  # absolute: rsync reads it on the receiving side
fi
target="$root/releases/$release/"
# --checksum: a file is "unchanged" when its bytes are, not its size and time (a page rewritten
# within the same second at the same size would otherwise keep its old text).
rsync -a --checksum --delete --exclude=/.vanban-fingerprints.json "${link_dest[@]}" "$site/" "${host:+$host:}$target"

on_server "cd $quoted_root && ln -sfn releases/$release site.moi && mv -T site.moi site"
on_server "cd $quoted_root/releases && ls -1 | sort | head -n -$keep | { grep -vx '$release' || true; } | xargs -r rm -rf --"
echo "đã đăng: $root/site -> releases/$release${previous:+ (trước đó: $previous)}"
