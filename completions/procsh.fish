# Generated from procsh's option model by procsh.app.CompletionScripts: do not edit.

complete -c procsh -s c -l command -x -d 'Run this line (repeatable), then exit.'
complete -c procsh -l backend -x -a 'auto native jdk' -d 'How processes are started: auto (default), native or jdk.'
complete -c procsh -l grace -x -d 'Grace period of stops, and of the stop at procsh\'s end (default 5s).'
complete -c procsh -l debug -d 'Show stack traces for internal errors.'
complete -c procsh -s h -l help -d 'Show this help message and exit.'
complete -c procsh -s V -l version -d 'Print version information and exit.'
# The script: .groovy files first; its arguments: any file.
complete -c procsh -k -a '(__fish_complete_suffix .groovy)'
