from workshop.launch import main

main()
