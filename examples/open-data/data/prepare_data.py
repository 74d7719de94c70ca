# SPDX-License-Identifier: Apache-2.0
"""Cleans, deduplicates and splits the example sentences."""


def clean(line):
    return line.strip().lower()
