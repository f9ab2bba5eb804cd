#!/usr/bin/env bash
# Puts AG News into data/ag_news/: test.csv and train.csv (the original CSV release), train_sample_5000.csv (the kNN
# pool, derived from train.csv by the rule below) and classes.txt.
#
# Where from: the project's shared copy when ../shared/data/ag_news exists beside the repository (this workspace and
# its CI: test.csv, train_sample_5000.csv, classes.txt; it has no train.csv); otherwise a download of the original
# release from AG_NEWS_BASE_URL, each file checked against the md5 that torchtext's AG_NEWS loader also checks.
# A file is moved into place only once its checksum is right; a failed or interrupted run leaves no partial file.
#
# The training sample (downloads only): from train.csv in file order, for each class the rows whose position among
# that class's rows is a multiple of 24 (the 1st, 25th, 49th, ...), at most 1,250 per class. train.csv holds 30,000
# rows of each class (= 24 x 1,250), so the sample is 5,000 rows, 1,250 per class, spread evenly over the whole file,
# in file order. Layout as the shared copy (the Hugging Face export's): header text,label; text = title + " " +
# description, backslashes kept; label = class - 1; a field is quoted only when it holds a comma, quote, CR or LF.
# The shared copy's sample was drawn by another rule (1,259 / 1,257 / 1,281 / 1,203 rows per class, origin not
# recorded), so a downloaded sample holds other rows than the one the figures in BENCHMARKS.md were measured on.
#
# Environment (all optional):
#   AG_NEWS_BASE_URL   where test.csv and train.csv are fetched from (default: the CharCNN release copy torchtext uses)
#   AG_NEWS_TEST_MD5, AG_NEWS_TRAIN_MD5   the checksums to expect (default: torchtext's; for a mirror of other bytes)
#   AG_NEWS_SHARED     the shared copy to use (default: ../shared/data/ag_news beside the repository; "none": download)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/ag_news"
shared="${AG_NEWS_SHARED:-$root/../shared/data/ag_news}"
base_url="${AG_NEWS_BASE_URL:-https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv}"
base_url="${base_url%/}"
test_md5="${AG_NEWS_TEST_MD5:-d52ea96a97a2d943681189a97654912d}"
train_md5="${AG_NEWS_TRAIN_MD5:-b1a00f826fdfbd249f79597b59e1dc12}"
mkdir -p "$dest"

partial=()
cleanup() { ((${#partial[@]})) && rm -f "${partial[@]}"; return 0; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

md5_of() { md5sum "$1" | cut -d' ' -f1; }
file_mode="$(printf '%o' $((0666 & ~0$(umask))))" # mktemp makes 0600 files; the data files are as any file here

# fetch NAME MD5: downloads $base_url/NAME unless data/ag_news/NAME is already there with that md5.
fetch() {
  local name="$1" md5="$2" part
  if [[ -f "$dest/$name" && "$(md5_of "$dest/$name")" == "$md5" ]]; then
    echo "data/ag_news/$name: present, md5 ok" >&2
    return 0
  fi
  part="$(mktemp "$dest/.$name.XXXXXX.part")"
  partial+=("$part")
  echo "downloading $base_url/$name" >&2
  if ! curl -fsSL --retry 3 "$base_url/$name" -o "$part"; then
    echo "get-data.sh: downloading $base_url/$name failed; nothing was written to data/ag_news/$name" >&2
    exit 1
  fi
  local actual
  actual="$(md5_of "$part")"
  if [[ "$actual" != "$md5" ]]; then
    echo "get-data.sh: $base_url/$name has md5 $actual, expected $md5 (the original AG News $name);" \
      "nothing was written to data/ag_news/$name" >&2
    exit 1
  fi
  chmod "$file_mode" "$part"
  mv "$part" "$dest/$name"
  echo "data/ag_news/$name: $(wc -l < "$dest/$name") rows, md5 ok" >&2
}

# The rule in the header, over the original release's rows ("class","title","description", all fields quoted).
derive_sample() {
  local part
  part="$(mktemp "$dest/.train_sample_5000.csv.XXXXXX.part")"
  partial+=("$part")
  LC_ALL=C awk '
    function field(   out, j) {
      if (substr(line, p, 1) != "\"") {
        j = index(substr(line, p), ",")
        if (j == 0) { out = substr(line, p); p = length(line) + 2 } else { out = substr(line, p, j - 1); p += j }
        return out
      }
      p++; out = ""
      while (1) {
        j = index(substr(line, p), "\"")
        if (j == 0) { bad = 1; return out }
        out = out substr(line, p, j - 1); p += j
        if (substr(line, p, 1) == "\"") { out = out "\""; p++ } else break
      }
      if (substr(line, p, 1) == ",") p++
      return out
    }
    function csv(s) {
      if (s ~ /[",\r\n]/) { gsub(/"/, "\"\"", s); return "\"" s "\"" }
      return s
    }
    BEGIN { print "text,label" }
    {
      line = $0; sub(/\r$/, "", line); p = 1; bad = 0
      c = field(); t = field(); d = field()
      if (bad || c !~ /^[1-4]$/ || p <= length(line)) {
        printf "get-data.sh: train.csv:%d: not an AG News row\n", NR > "/dev/stderr"; failed = 1; exit 1
      }
      if (rank[c]++ % 24 == 0 && taken[c] < 1250) { taken[c]++; print csv(t " " d) "," (c - 1) }
    }
    END {
      if (!failed) printf "data/ag_news/train_sample_5000.csv: per class %d, %d, %d, %d rows\n",
        taken[1], taken[2], taken[3], taken[4] > "/dev/stderr"
    }' "$dest/train.csv" > "$part"
  chmod "$file_mode" "$part"
  mv "$part" "$dest/train_sample_5000.csv"
}

if [[ "$shared" != none && -d "$shared" ]]; then
  actual="$(md5_of "$shared/test.csv")"
  if [[ "$actual" != "$test_md5" ]]; then
    echo "get-data.sh: $shared/test.csv has md5 $actual, expected $test_md5: not the original AG News test split" >&2
    exit 1
  fi
  cp "$shared"/test.csv "$shared"/train_sample_5000.csv "$shared"/classes.txt "$dest"/
  echo "copied test.csv, train_sample_5000.csv and classes.txt from $shared to $dest" >&2
  exit 0
fi

fetch test.csv "$test_md5"
fetch train.csv "$train_md5"
derive_sample
printf '%s\n' World Sports Business Sci/Tech > "$dest/classes.txt"
echo "data/ag_news: test.csv, train.csv, train_sample_5000.csv, classes.txt ready" >&2
