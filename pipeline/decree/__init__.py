"""Nghị định 30/2020/NĐ-CP as data: layout rules, text metrics, the decree's text forms, WordprocessingML builders."""
