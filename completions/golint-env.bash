# bash completion for golint-env                           -*- shell-script -*-
# Installed as /usr/share/bash-completion/completions/golint-env; works with
# or without the bash-completion package.

_golint_env_rules()
{
    golint-env rules 2>/dev/null | awk '/^GE[0-9]+/ { print $1 }'
}

_golint_env()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_CWORD:+${COMP_WORDS[COMP_CWORD-1]}}
    local commands="doctor check env fix diff-env snapshot rules live"
    local opts="--root --home --user --shell --context --format --fail-on --offline
        --timeout --fix --unsafe-fixes --diff --no-backup --undo --config --color
        --kind --inherit --explain --explain-unit --graph --dotfiles --pid --unit
        --no-exec --jobs --quiet --verbose --version --help"
    local IFS=$' \t\n'

    # --opt=value: complete the value
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    elif [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi

    case $prev in
        --root|--home|--dotfiles)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --config)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --format)   COMPREPLY=($(compgen -W "text json gcc sarif checkstyle diff" -- "$cur")); return ;;
        --fail-on)  COMPREPLY=($(compgen -W "error warning info style none" -- "$cur")); return ;;
        --shell)    COMPREPLY=($(compgen -W "bash zsh sh" -- "$cur")); return ;;
        --context)  COMPREPLY=($(compgen -W "terminal login ssh-command script cron desktop systemd" -- "$cur")); return ;;
        --kind)     COMPREPLY=($(compgen -W "shell unit systemd-conf limits sysctl cgconfig envfile" -- "$cur")); return ;;
        --color|--colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --graph)    COMPREPLY=($(compgen -W "mermaid dot" -- "$cur")); return ;;
        --user)     COMPREPLY=($(compgen -u -- "$cur")); return ;;
        --pid)      COMPREPLY=($(compgen -W "$(cd /proc 2>/dev/null && compgen -G '[0-9]*')" -- "$cur")); return ;;
        --explain)  COMPREPLY=($(compgen -W "PATH GOROOT GOPATH GOBIN GOPROXY GOFLAGS GOTOOLCHAIN GOENV GOMODCACHE GOCACHE CGO_ENABLED HTTP_PROXY HTTPS_PROXY NO_PROXY" -- "$cur")); return ;;
        --timeout|--jobs|--unit|--explain-unit) return ;;
    esac

    # the command: the first word that is neither an option nor an option's value
    local i cmd="" w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --root|--home|--user|--shell|--context|--format|--fail-on|--timeout|--config|--color|--colour|--kind|--explain|--explain-unit|--graph|--dotfiles|--pid|--unit|--jobs)
                ((i++)); [[ ${COMP_WORDS[i]} == = ]] && ((i++)) ;;
            -*|=) ;;
            *) cmd=$w; break ;;
        esac
    done

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $cmd in
        "")
            COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        check|fix|diff-env)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur")) ;;
        rules)
            COMPREPLY=($(compgen -W "$(_golint_env_rules)" -- "$cur")) ;;
    esac
}
complete -F _golint_env golint-env
