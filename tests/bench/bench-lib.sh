# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Helpers the benchmark scripts share (sourced by bash).

# median VALUES... (sorted): the middle one, or the mean of the middle two;
# "-" without values.
median() {
    [ $# -gt 0 ] || { echo -; return; }
    local -a v=("$@")
    local n=${#v[@]}
    if [ $((n % 2)) = 1 ]; then
        echo "${v[$((n / 2))]}"
    else
        awk -v a="${v[$((n / 2 - 1))]}" -v b="${v[$((n / 2))]}" 'BEGIN { print (a + b) / 2 }'
    fi
}

# ratio A B : A / B with two decimals, "-" when either is not a number.
ratio() {
    if [ "$1" = - ] || [ "$2" = - ]; then
        echo -
    else
        awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
    fi
}
