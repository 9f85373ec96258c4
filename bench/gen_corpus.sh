#!/bin/bash
# Generate a realistic, deterministic corpus of shell startup files:
#   bench/gen_corpus.sh DIR [HOMES]      (default 120 homes: ~600 files, ~4 MB)
# Per home: .bashrc, .profile, .bash_profile or .zshrc/.zshenv in the shapes
# people write (Debian skel, Go/PATH exports, nvm/pyenv/sdkman blocks, prompt
# functions, aliases, history options), plus oh-my-zsh-like plugins and
# bash-completion-like scripts. Same DIR and HOMES: same bytes.
set -eu
out=${1:?usage: gen_corpus.sh DIR [HOMES]}
homes=${2:-120}
RANDOM=42
mkdir -p "$out"

pick() { local a=("$@"); printf '%s' "${a[RANDOM % ${#a[@]}]}"; }

skel_bashrc() {
    cat <<'X'
# ~/.bashrc: executed by bash(1) for non-login shells.
# see /usr/share/doc/bash/examples/startup-files (in the package bash-doc)

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

HISTCONTROL=ignoreboth
shopt -s histappend
HISTSIZE=1000
HISTFILESIZE=2000
shopt -s checkwinsize

[ -x /usr/bin/lesspipe ] && eval "$(SHELL=/bin/sh lesspipe)"

if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

case "$TERM" in
    xterm-color|*-256color) color_prompt=yes;;
esac

if [ "$color_prompt" = yes ]; then
    PS1='${debian_chroot:+($debian_chroot)}\[\033[01;32m\]\u@\h\[\033[00m\]:\[\033[01;34m\]\w\[\033[00m\]\$ '
else
    PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '
fi
unset color_prompt force_color_prompt

if [ -x /usr/bin/dircolors ]; then
    test -r ~/.dircolors && eval "$(dircolors -b ~/.dircolors)" || eval "$(dircolors -b)"
    alias ls='ls --color=auto'
    alias grep='grep --color=auto'
fi
alias ll='ls -alF'
alias la='ls -A'
alias l='ls -CF'
alias alert='notify-send --urgency=low -i "$([ $? = 0 ] && echo terminal || echo error)" "$(history|tail -n1|sed -e '\''s/^\s*[0-9]\+\s*//;s/[;&|]\s*alert$//'\'')"'

if [ -f ~/.bash_aliases ]; then
    . ~/.bash_aliases
fi

if ! shopt -oq posix; then
  if [ -f /usr/share/bash-completion/bash_completion ]; then
    . /usr/share/bash-completion/bash_completion
  elif [ -f /etc/bash_completion ]; then
    . /etc/bash_completion
  fi
fi
X
}

go_block() {
    case $((RANDOM % 7)) in
    0) printf 'export GOPATH=$HOME/go\nexport PATH=$PATH:/usr/local/go/bin:$GOPATH/bin\n' ;;
    1) printf 'export GOROOT=/usr/local/go\nexport GOPATH="$HOME/go"\nexport PATH="$GOROOT/bin:$GOPATH/bin:$PATH"\n' ;;
    2) printf '# Go\nexport PATH=/usr/local/go/bin\nGOPATH=~/go\nGOPROXY=https://goproxy.cn,direct\n' ;;
    3) printf 'if [ -d "$HOME/go/bin" ] ; then\n    PATH="$HOME/go/bin:$PATH"\nfi\nexport GOPRIVATE=git.corp.example.com/*\nexport GOFLAGS=-mod=mod\n' ;;
    4) printf 'export GOPATH="~/go"\nexport GOBIN=$GOPATH/bin\nexport PATH=$PATH:$GOBIN:\n' ;;
    5) printf 'export GO111MODULE=on\nexport GOPROXY=https://proxy.golang.org,direct\nexport GOSUMDB=sum.golang.org\nexport PATH="${PATH:+${PATH}:}/usr/local/go/bin"\n' ;;
    6) printf 'export GOTOOLCHAIN=local\n[[ -s "$HOME/.gvm/scripts/gvm" ]] && source "$HOME/.gvm/scripts/gvm"\n' ;;
    esac
}

tools_block() {
    local i n=$((RANDOM % 5 + 1))
    for ((i = 0; i < n; i++)); do
        case $((RANDOM % 9)) in
        0) printf 'export NVM_DIR="$HOME/.nvm"\n[ -s "$NVM_DIR/nvm.sh" ] && \\. "$NVM_DIR/nvm.sh"  # This loads nvm\n[ -s "$NVM_DIR/bash_completion" ] && \\. "$NVM_DIR/bash_completion"\n' ;;
        1) printf 'export PYENV_ROOT="$HOME/.pyenv"\ncommand -v pyenv >/dev/null || export PATH="$PYENV_ROOT/bin:$PATH"\neval "$(pyenv init -)"\n' ;;
        2) printf '#THIS MUST BE AT THE END OF THE FILE FOR SDKMAN TO WORK!!!\nexport SDKMAN_DIR="$HOME/.sdkman"\n[[ -s "$HOME/.sdkman/bin/sdkman-init.sh" ]] && source "$HOME/.sdkman/bin/sdkman-init.sh"\n' ;;
        3) printf '. "$HOME/.cargo/env"\n' ;;
        4) printf '# >>> conda initialize >>>\n__conda_setup="$('"'"'/opt/conda/bin/conda'"'"' '"'"'shell.bash'"'"' '"'"'hook'"'"' 2> /dev/null)"\nif [ $? -eq 0 ]; then\n    eval "$__conda_setup"\nelse\n    if [ -f "/opt/conda/etc/profile.d/conda.sh" ]; then\n        . "/opt/conda/etc/profile.d/conda.sh"\n    else\n        export PATH="/opt/conda/bin:$PATH"\n    fi\nfi\nunset __conda_setup\n# <<< conda initialize <<<\n' ;;
        5) printf 'export EDITOR=%s\nexport VISUAL="$EDITOR"\nexport PAGER=less\n' "$(pick vim nvim emacs nano)" ;;
        6) printf 'export http_proxy=http://proxy.corp:3128\nexport https_proxy=$http_proxy\nexport no_proxy=localhost,127.0.0.1,.corp\n' ;;
        7) printf 'function mkcd() {\n  mkdir -p -- "$1" && cd -P -- "$1"\n}\nextract () {\n  case "$1" in\n    *.tar.gz|*.tgz) tar xzf "$1" ;;\n    *.zip) unzip "$1" ;;\n    *) echo "cannot extract $1" ;;\n  esac\n}\n' ;;
        8) printf 'for d in "$HOME/bin" "$HOME/.local/bin" /opt/*/bin; do\n  [ -d "$d" ] && PATH="$d:$PATH"\ndone\nexport PATH\n' ;;
        esac
    done
    for ((i = 0; i < RANDOM % 12; i++)); do
        printf "alias %s='%s'\n" "$(pick gs gd gl k kctl dc tf ..  ... gco gp)$i" \
            "$(pick 'git status' 'git diff' 'git log --oneline --graph' kubectl 'docker compose' terraform 'cd ..' 'cd ../..' 'git checkout' 'git push')"
    done
}

profile() {
    cat <<'X'
# ~/.profile: executed by the command interpreter for login shells.
# umask 022

# if running bash
if [ -n "$BASH_VERSION" ]; then
    # include .bashrc if it exists
    if [ -f "$HOME/.bashrc" ]; then
	. "$HOME/.bashrc"
    fi
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi

if [ -d "$HOME/.local/bin" ] ; then
    PATH="$HOME/.local/bin:$PATH"
fi
X
    go_block
}

zshrc() {
    cat <<'X'
# Path to your oh-my-zsh installation.
export ZSH="$HOME/.oh-my-zsh"
X
    printf 'ZSH_THEME="%s"\n' "$(pick robbyrussell agnoster powerlevel10k/powerlevel10k af-magic ys)"
    printf 'plugins=(%s)\n' "$(pick 'git' 'git golang docker' 'git kubectl fzf zsh-autosuggestions' 'git z colored-man-pages')"
    cat <<'X'
source $ZSH/oh-my-zsh.sh

typeset -U path PATH
path=($HOME/go/bin $HOME/.local/bin $path)
export PATH

setopt HIST_IGNORE_ALL_DUPS SHARE_HISTORY
HISTFILE=~/.zsh_history
HISTSIZE=10000
SAVEHIST=10000
bindkey -e
autoload -Uz compinit && compinit
zstyle ':completion:*' menu select
[[ -f ~/.fzf.zsh ]] && source ~/.fzf.zsh
if (( $+commands[kubectl] )); then
  source <(kubectl completion zsh)
fi
X
    go_block
    tools_block
}

plugin() { # NAME
    local n=$1 i
    printf '# %s plugin (oh-my-zsh style)\n' "$n"
    printf '(( $+commands[%s] )) || return\n\n' "$n"
    for ((i = 0; i < RANDOM % 30 + 10; i++)); do
        printf "alias %s%d='%s %s'\n" "${n:0:2}" "$i" "$n" "$(pick status 'log -n 20' 'ps -a' 'run --rm -it' 'get pods' 'apply -f' describe 'build ./...' 'test -race ./...')"
    done
    cat <<X

function ${n}_current() {
  local ref
  ref=\$(command $n rev-parse --abbrev-ref HEAD 2>/dev/null) || return 0
  echo "\${ref#refs/heads/}"
}

_${n}_completion() {
  local -a subcmds
  subcmds=('build:compile packages' 'test:run tests' 'run:compile and run' 'env:print environment')
  _describe 'command' subcmds
}
compdef _${n}_completion $n

if [[ -z "\$${n^^}_HOME" ]]; then
  export ${n^^}_HOME="\${XDG_DATA_HOME:-\$HOME/.local/share}/$n"
fi
X
}

completion() { # NAME
    local n=$1 i
    cat <<X
# bash completion for $n                                   -*- shell-script -*-

_${n}_module()
{
    local cur prev words cword split
    _init_completion -s || return

    case \$prev in
        --help | --version | -!(-*)[hV])
            return
            ;;
        --config | -!(-*)c)
            _filedir
            return
            ;;
        --output | -!(-*)o)
            _filedir -d
            return
            ;;
X
    for ((i = 0; i < RANDOM % 20 + 5; i++)); do
        printf '        --opt%d)\n            COMPREPLY=($(compgen -W '"'"'%s'"'"' -- "$cur"))\n            return\n            ;;\n' \
            "$i" "$(pick 'yes no' 'json text gcc' 'debug info warn error' 'auto always never')"
    done
    cat <<X
    esac

    \$split && return

    if [[ \$cur == -* ]]; then
        COMPREPLY=(\$(compgen -W '\$(_parse_help "\$1")' -- "\$cur"))
        [[ \${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    local i
    for ((i = 1; i < cword; i++)); do
        if [[ \${words[i]} != -* ]]; then
            _filedir
            return
        fi
    done
    COMPREPLY=(\$(compgen -W 'build test run env version' -- "\$cur"))
} &&
    complete -F _${n}_module $n

# ex: filetype=sh
X
}

for ((h = 0; h < homes; h++)); do
    d=$out/home$h
    mkdir -p "$d"
    if ((RANDOM % 3 == 0)); then
        { zshrc; } > "$d/.zshrc"
        printf 'export ZDOTDIR=${ZDOTDIR:-$HOME}\nexport GOPATH=$HOME/go\n' > "$d/.zshenv"
        { profile; } > "$d/.profile"
    else
        { skel_bashrc; go_block; tools_block; } > "$d/.bashrc"
        { profile; } > "$d/.profile"
        if ((RANDOM % 2 == 0)); then
            printf '# ~/.bash_profile\n[[ -f ~/.bashrc ]] && . ~/.bashrc\n' > "$d/.bash_profile"
            go_block >> "$d/.bash_profile"
        fi
    fi
done
mkdir -p "$out/plugins" "$out/completions"
for ((i = 0; i < homes; i++)); do
    n=$(pick git go docker kubectl helm terraform npm cargo rustup gh aws gcloud)$i
    plugin "$n" > "$out/plugins/$n.plugin.zsh"
    completion "$n" > "$out/completions/$n"
done
