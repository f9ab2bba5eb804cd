#!/usr/bin/env bash
# Puts AG News (test.csv, train_sample_5000.csv, classes.txt) into data/ag_news/.
# Copies the project's shared copy when ../shared/data/ag_news exists beside the repository; otherwise downloads
# the original AG News CSV release and checks test.csv's md5 (the checksum torchtext also uses).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/ag_news"
shared="$root/../shared/data/ag_news"
test_md5="d52ea96a97a2d943681189a97654912d"
mkdir -p "$dest"
if [[ -d "$shared" ]]; then
  cp "$shared"/* "$dest"/
  echo "copied $(ls "$shared" | wc -l) files from $shared to $dest" >&2
else
  url="${AG_NEWS_URL:-https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv/test.csv}"
  echo "downloading $url" >&2
  curl -fsSL "$url" -o "$dest/test.csv.part"
  mv "$dest/test.csv.part" "$dest/test.csv"
fi
actual="$(md5sum "$dest/test.csv" | cut -d' ' -f1)"
if [[ "$actual" != "$test_md5" ]]; then
  echo "test.csv md5 is $actual, expected $test_md5: not the original AG News test split" >&2
  exit 1
fi
echo "data/ag_news/test.csv: $(wc -l < "$dest/test.csv") rows, md5 ok" >&2
