# SPDX-License-Identifier: Apache-2.0
"""Generates text with Wren Tiny."""


def generate(prompt, max_tokens=20):
    return prompt
