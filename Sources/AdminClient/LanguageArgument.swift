public import ArgumentParser
public import TiplineCore

// `--lang zh|en` on every staff command (ConnectionOptions).
extension Language: ExpressibleByArgument {}
