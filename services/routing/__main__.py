from cangpei.runtime.app import main

main("routing")
