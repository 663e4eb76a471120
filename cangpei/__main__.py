from cangpei.cli import main

main()
