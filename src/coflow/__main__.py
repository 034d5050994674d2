from coflow.cli.main import main

main()
