from .net import SiblingNet
