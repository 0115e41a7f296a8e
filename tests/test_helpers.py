from io import BytesIO


def csv_upload(*rows: str, header: str = "village_code,number,voters") -> BytesIO:
    return BytesIO((header + "\n" + "".join(row + "\n" for row in rows)).encode())
