#!/usr/bin/env bash
# Golden tests of the `memoria` command line (registered with CTest by src/cli/CMakeLists.txt).
#
#   bash src/cli/golden_test.sh <memoria binary> <test file> <source dir> [<shared data dir>]
#
# A test file (tests/cli/*.test) is a script of commands, each followed by what it must do:
#
#   # a comment (ignored, as are blank lines)
#   $ memoria import $SRC/examples/sample.jsonl     a command, run by `bash -c`
#   ? 2                                              its exit code (default 0)
#   > exact line                                     stdout, line by line
#   >-                                               stdout is empty
#   >~ extended regex                                some stdout line matches (grep -E)
#   ! exact line                                     stderr, line by line
#   !-                                               stderr is empty
#   !~ extended regex                                some stderr line matches (grep -E)
#
# If a command has any `>` lines, its whole stdout must equal them (likewise `!` and stderr);
# without `>` or `>-` lines stdout is not compared, only the `>~` patterns are checked.
#
# Every test file runs in a fresh empty temporary directory (the working directory of every
# command), removed afterwards. `memoria` on the PATH is the binary under test. Commands see:
#   $TMP   the temporary directory      $SRC   the source tree (examples/, data/)
#   $DATA  the shared data directory (may be empty)
# MEMORIA_DB is unset (so the default ./memoria.db applies) and MEMORIA_ACTOR=golden.
# Before comparing, the temporary directory and the source directory are replaced in the output
# by the literal strings `$TMP` and `$SRC`, so expected lines can name files portably.
#
# The script exits 0 if every command did what was expected, else 1 after reporting each
# mismatch with the test file's line number.
set -u

if [[ $# -lt 3 ]]; then
  echo "usage: $0 MEMORIA_BINARY TEST_FILE SOURCE_DIR [SHARED_DATA_DIR]" >&2
  exit 2
fi
memoria_bin=$(readlink -f "$1")
test_file=$2
SRC=$(readlink -f "$3")
DATA=${4:-}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/memoria-golden.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/bin" "$scratch/work"
ln -s "$memoria_bin" "$scratch/bin/memoria"
TMP=$scratch/work
export PATH="$scratch/bin:$PATH" SRC DATA TMP MEMORIA_ACTOR=golden
unset MEMORIA_DB

failures=0

# Replaces the temp and source directories by $TMP and $SRC in a file, in place.
normalize() {
  local f=$1 line out=""
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line//"$TMP"/'$TMP'}
    line=${line//"$SRC"/'$SRC'}
    out+=$line$'\n'
  done <"$f"
  printf '%s' "$out" >"$f"
}

fail() {
  echo "$test_file:$cmd_line: \$ $cmd" >&2
  echo "  $1" >&2
  failures=$((failures + 1))
}

# Checks one stream against exact lines ($2: "yes" if given), an emptiness demand ($3) and
# patterns ($4, newline-separated).
check_stream() {
  local name=$1 have_exact=$2 want_empty=$3 patterns=$4 exact_file=$5 actual=$6 p
  if [[ $want_empty == yes && -s $actual ]]; then
    fail "$name should be empty, but was:"
    sed 's/^/    | /' "$actual" >&2
  fi
  if [[ $have_exact == yes ]] && ! diff -q "$exact_file" "$actual" >/dev/null; then
    fail "$name differs (--- expected, +++ actual):"
    diff -u "$exact_file" "$actual" | tail -n +3 | sed 's/^/    /' >&2
  fi
  while IFS= read -r p; do
    [[ -z $p ]] && continue
    if ! grep -Eq -- "$p" "$actual"; then
      fail "no $name line matches /$p/; $name was:"
      sed 's/^/    | /' "$actual" >&2
    fi
  done <<<"$patterns"
}

run_block() {
  [[ -z ${cmd+x} ]] && return
  local out=$scratch/stdout err=$scratch/stderr rc
  (cd "$TMP" && bash -c "$cmd") >"$out" 2>"$err" </dev/null
  rc=$?
  normalize "$out"
  normalize "$err"
  if [[ $rc != "$want_rc" ]]; then
    fail "exit code $rc, expected $want_rc; stderr was:"
    sed 's/^/    | /' "$err" >&2
  fi
  check_stream stdout "$out_exact" "$out_empty" "$out_patterns" "$scratch/want_out" "$out"
  check_stream stderr "$err_exact" "$err_empty" "$err_patterns" "$scratch/want_err" "$err"
}

new_block() {
  cmd=$1
  cmd_line=$2
  want_rc=0
  out_exact=no out_empty=no out_patterns=""
  err_exact=no err_empty=no err_patterns=""
  : >"$scratch/want_out"
  : >"$scratch/want_err"
}

lineno=0
while IFS= read -r line || [[ -n $line ]]; do
  lineno=$((lineno + 1))
  case $line in
    '' | '#'*) ;;
    '$ '*)
      run_block
      new_block "${line#'$ '}" "$lineno"
      ;;
    *)
      if [[ -z ${cmd+x} ]]; then
        echo "$test_file:$lineno: expectation before any command: $line" >&2
        exit 2
      fi
      case $line in
        '? '*) want_rc=${line#'? '} ;;
        '>-') out_empty=yes ;;
        '!-') err_empty=yes ;;
        '>~ '*) out_patterns+=${line#'>~ '}$'\n' ;;
        '!~ '*) err_patterns+=${line#'!~ '}$'\n' ;;
        '> '* | '>')
          out_exact=yes
          printf '%s\n' "${line#'>'}" | sed 's/^ //' >>"$scratch/want_out"
          ;;
        '! '* | '!')
          err_exact=yes
          printf '%s\n' "${line#'!'}" | sed 's/^ //' >>"$scratch/want_err"
          ;;
        *)
          echo "$test_file:$lineno: cannot parse: $line" >&2
          exit 2
          ;;
      esac
      ;;
  esac
done <"$test_file"
run_block

if [[ $failures -gt 0 ]]; then
  echo "$test_file: $failures failure(s)" >&2
  exit 1
fi
echo "$test_file: ok"
