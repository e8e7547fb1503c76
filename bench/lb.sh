# bench/lb.sh — sourced by the benchmarks that report a lower bound: the same
# question asked in plain SQL of the same database file in the sqlite3 CLI.
# lb LABEL SQL prints "| LABEL | ms |": the median of 5 runs of the CLI on $DB,
# its process start included (time "SELECT 1" for that part alone).
lb() {
	for _ in 1 2 3 4 5; do
		s=$(date +%s%N)
		sqlite3 "$DB" "$2" >/dev/null
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
	done | sort -n | sed -n 3p | awk -v l="$1" '{ printf "| %s | %.2f |\n", l, $1 / 1000 }'
}
