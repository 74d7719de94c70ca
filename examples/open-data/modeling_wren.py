# SPDX-License-Identifier: Apache-2.0
"""A one-block decoder, small enough to read in one sitting."""


class WrenConfig:
    vocab_size = 256
    hidden_size = 32


class WrenModel:
    def __init__(self, config):
        self.config = config

    def forward(self, tokens):
        raise NotImplementedError("example only")
