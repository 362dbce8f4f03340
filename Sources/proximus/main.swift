print("proximus")
