def store(name, t):
    # TODO: save t to name
    return name
