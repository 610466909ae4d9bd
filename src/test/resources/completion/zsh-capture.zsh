# Prints the candidates zsh's completion system offers for a command line.
# Usage: zsh -f zsh-capture.zsh COMPLETIONS_DIR WORKING_DIR 'procsh --'
# A child zsh in a pseudo-terminal loads the completion function; compadd is wrapped so that each
# candidate it is given is printed between markers; the line is typed followed by TAB, then by a
# key bound to a widget that prints <done>: zle handles keys in order, so <done> comes only after
# the completion has finished, however long a loaded machine takes (no fixed sleep).
zmodload zsh/zpty || exit 2
dir=$1 cwd=$2 line=$3
zpty z zsh -f -i
zpty -w z "PS1=''; cd ${(q)cwd}; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" select-prompt ""'
zpty -w z 'compadd() { local -a hits; builtin compadd -O hits "$@"; (( $#hits )) && print -r -- "<cand>"${^hits}"</cand>"; builtin compadd "$@" }'
zpty -w z 'done-mark() { print -n -- "<do""ne>" }; zle -N done-mark; bindkey "^X" done-mark'
zpty -w z 'print "<rea""dy>"'
zpty -r z out '*<ready>*' || exit 3
zpty -n -w z "$line"$'\t\x18'
zpty -r z out '*<done>*' || exit 4
print -r -- "$out" | grep -o '<cand>[^<]*</cand>' | sed 's/<cand>//; s/<\/cand>//' | sort -u
zpty -d z
