k = int(input())
with open("numbers.txt") as f:
    numbers = [int(t) for t in f.read().split()]
with open("sum.txt", "w") as f:
    print(k * sum(numbers), file=f)
print(len(numbers))
