import math

r = float(input())
print(math.pi * r * r)  # repr precision, maybe in exponent form: any number form is fine
