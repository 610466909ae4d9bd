# Prints the candidates zsh's completion system offers for a command line.
# Usage: zsh -f zsh-capture.zsh COMPLETIONS_DIR WORKING_DIR 'procsh --'
# A child zsh in a pseudo-terminal loads the completion function; compadd is wrapped so that each
# candidate it is given is printed between markers; the line is typed followed by TAB.
zmodload zsh/zpty || exit 2
dir=$1 cwd=$2 line=$3
zpty z zsh -f -i
zpty -w z "PS1=''; cd ${(q)cwd}; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" select-prompt ""'
zpty -w z 'compadd() { local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -r -- "<cand>"${^hits}"</cand>"; builtin compadd "$@" }'
zpty -w z 'print "<ready>"'
zpty -r z out '*<ready>*' || exit 3
zpty -n -w z "$line"$'\t'
sleep 1
out=""
while zpty -r -t z chunk; do out+=$chunk; done
print -r -- "$out" | grep -o '<cand>[^<]*</cand>' | sed 's/<cand>//; s/<\/cand>//' | sort -u
zpty -d z
